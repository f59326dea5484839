// What the app registers and calls on Slack, in one place, so the manifest can be checked against
// it (test/platforms/slack/manifest.test.ts). Scopes per method: https://api.slack.com/methods
export const SLASH_COMMAND = '/deal';
/** `message.im`: messages in the bot's DM, for the files an admin sends it (listeners/files.ts). */
export const BOT_EVENTS = ['app_home_opened', 'message.im'] as const;
/** Scopes of what is not a Web API method: hearing DM messages, and downloading a file shared with
 * the bot from its url_private_download (https://docs.slack.dev/messaging/working-with-files). */
const OTHER_SCOPES = { 'message.im': ['im:history'], url_private_download: ['files:read'] };

export const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'conversations.create': ['groups:write'], // private channels only
  'conversations.setTopic': ['groups:write'],
  'conversations.invite': ['groups:write'],
  'conversations.archive': ['groups:write'],
  'conversations.list': ['groups:read'], // finding a room created just before a crash
  'conversations.open': ['im:write'], // the app's DM with a person, to check a digest arrived
  // … by the metadata it was sent with; and a room post interrupted before it was recorded
  'conversations.history': ['im:history', 'groups:history'],
  'chat.postMessage': ['chat:write'], // also DMs: posting to a user id uses the app's DM
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'pins.add': ['pins:write'],
  // files.uploadV2 (the funnel picture): https://docs.slack.dev/reference/methods/files.getuploadurlexternal
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.publish': [],
};

/** Bot scopes the app needs: those of every method it calls, plus `commands` for /deal. */
export const BOT_SCOPES = [
  ...new Set(['commands', ...Object.values(METHOD_SCOPES).flat(), ...Object.values(OTHER_SCOPES).flat()]),
].sort();
