// What the app registers and calls on Lark/Feishu, in one place, so manifest/lark-app.json can be
// checked against it (test/platforms/lark/manifest.test.ts). Scopes per API are listed on each
// API's page under "权限要求 / Required scopes", e.g. https://open.feishu.cn/document/server-docs/im-v1/message/create
/** How a Lark user addresses the bot in text (besides @-mentioning it); the prefix shown with every
 * command part (src/platforms/lark/card.ts). */
export const LARK_COMMAND = '/deal';

export const API_SCOPES: Record<string, string[]> = {
  'bot/v3/info': [],
  'im.chat.create': ['im:chat'],
  'im.chat.get': ['im:chat'],
  'im.chat.list': ['im:chat'], // or im:chat:readonly
  'im.chat.update': ['im:chat'],
  'im.chatMembers.create': ['im:chat'],
  'im.message.create': ['im:message:send_as_bot'], // rooms and p2p DMs
  'im.message.patch': ['im:message:send_as_bot'],
  'im.image.create': ['im:resource'], // funnel pictures (or im:resource:upload)
  'im.pin.create': ['im:message.pins:write_only'],
  // a file an admin sent the bot (any one of im:message, im:message:readonly will do: the narrower)
  'im.messageResource.get': ['im:message:readonly'],
  'contact.user.get': ['contact:user.base:readonly'],
};

/** Events the bot subscribes to, with the scopes that make Lark deliver them. Without
 * `im:message.group_msg` the bot hears group messages only when @-mentioned (`@bot /deal …`). */
export const EVENT_SCOPES: Record<string, string[]> = {
  'im.message.receive_v1': ['im:message.p2p_msg:readonly', 'im:message.group_at_msg:readonly', 'im:message.group_msg'],
  'application.bot.menu_v6': [],
};
export const EVENTS = Object.keys(EVENT_SCOPES);
/** Callbacks (card clicks), delivered like events. */
export const CALLBACKS = ['card.action.trigger'];

/** The bot's menu in the p2p chat: each item is a command. https://open.feishu.cn/document/client-docs/bot-v3/bot-customized-menu */
export const BOT_MENU: Record<string, string> = {
  deal_mine: 'mine',
  deal_pipeline: 'pipeline',
  deal_digest: 'digest',
  deal_help: 'help',
};

export const TENANT_SCOPES = [...new Set([...Object.values(API_SCOPES), ...Object.values(EVENT_SCOPES)].flat())].sort();
