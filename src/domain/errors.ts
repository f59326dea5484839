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

/** A chat platform call failed in a way the user should hear about (rate limit, missing access). */
export class PlatformError extends DealroomError {
  constructor(
    code: string,
    readonly platformCode: string,
    message: string,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, { platformCode }, options);
    this.name = 'PlatformError';
  }
}
