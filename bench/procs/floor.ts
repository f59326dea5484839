// The floors of the command bench: a Bolt app (same Bolt version and receiver as the bot) that acks
// `/deal` and does nothing else (A), or also makes the Web API calls the bot makes for
// `/deal #n log …` typed outside the deal's room (B): the room post, the card update, the answer.
// argv: A|B port apiUrl signingSecret
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const [mode, port, apiUrl, signingSecret] = process.argv.slice(2);
const receiver = new HTTPReceiver({ signingSecret, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const app = new App({
  token: 'xoxb-bench',
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 0 } },
});
const cards = new Map<string, string>(); // room -> the message standing in for its card
app.command('/deal', async ({ ack, command, client, respond }) => {
  await ack();
  if (mode !== 'B') return;
  const room = `room-${/^#(\d+)/.exec(command.text)?.[1] ?? '1'}`;
  await client.chat.postMessage({ channel: room, text: `${command.user_id} logged a touch: ${command.text}` });
  let ts = cards.get(room);
  if (!ts) {
    ts = (await client.chat.postMessage({ channel: room, text: 'card' })).ts!;
    cards.set(room, ts);
  }
  await client.chat.update({ channel: room, ts, text: `card ${command.text}` });
  await respond({ text: 'Customer contact logged.', response_type: 'ephemeral' });
});
await app.start(Number(port));
process.send?.({ ready: true });
process.on('message', (m) => {
  if (m === 'stop') void app.stop().then(() => process.exit(0));
});
