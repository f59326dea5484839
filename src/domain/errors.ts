// One error family. A DealroomError carries a code (for logs and tests) and a message key with
// params (for the user, rendered in their language at one boundary: `handleCommand` in src/app/dispatch.ts).
export class DealroomError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly params: ErrorParams = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DealroomError';
  }
}

/** Values for the sentence of an error: text, numbers, or text made of parts (src/app/message.ts). */
export type ErrorParams = Readonly<Record<string, string | number | object>>;

/** A refusal or mistake the user can fix: shown to them as a sentence, never logged as a failure.
 * `key` names the message in src/i18n; nothing was written when it is thrown. */
export class UserError extends DealroomError {
  constructor(
    readonly key: string,
    params: ErrorParams = {},
  ) {
    super(key, key, params);
    this.name = 'UserError';
  }
}

/** What went wrong on a chat platform, in the app's words: every adapter maps its platform's own
 * errors (Slack's `error` strings, Lark's numeric codes) to one of these, so the app never reads a
 * platform's error names. Each has a sentence (`platform.<code>` in src/i18n). */
export type PlatformErrorCode =
  | 'rate_limited' // slow down; `retryAfterSeconds` says how long
  | 'not_in_channel' // the bot is not a member of the room
  | 'channel_not_found' // the room is gone or invisible to the bot
  | 'is_archived' // the room is archived
  | 'name_taken' // no free room name
  | 'message_not_found' // the message to update is gone
  | 'user_not_found' // the platform does not know the person, or the bot may not reach them
  | 'missing_scope' // the app lacks a permission, or its credentials are wrong
  | 'network' // the platform could not be reached
  | 'api_error'; // anything else the platform refused (its own code is kept in `platformCode`)

/** A chat platform call failed in a way the user should hear about (rate limit, missing access). */
export class PlatformError extends DealroomError {
  constructor(
    override readonly code: PlatformErrorCode,
    /** The platform's own error name or number, for logs and the "refused (…)" sentence only. */
    readonly platformCode: string,
    message: string,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, { platformCode }, options);
    this.name = 'PlatformError';
  }
}
