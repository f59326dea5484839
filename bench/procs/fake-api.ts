// The fake Slack Web API in its own process for the command bench: it answers the bot and the
// floors, and timestamps each answer to a response_url (`/hooks/<trigger>`), the last call of a
// command. IPC out: {ready,url,base} on start, {hook: trigger, at: ms} per answer; in: 'counts'
// -> {counts} (Web API calls since the last ask), 'stop'.
import { startFakeSlack } from '../../test/fakes/fake-slack-api.ts';

const CONNECTIONS = Number(process.argv[2] ?? 10);
const counts = new Map<string, number>();
const fake = await startFakeSlack({
  token: 'xoxb-bench',
  teamId: 'T1',
  onCall: (call) => {
    const method = call.method.startsWith('response_url:') ? 'response_url' : call.method;
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const m = /^response_url:\/hooks\/(.+)$/.exec(call.method);
    if (m) process.send?.({ hook: m[1], at: performance.timeOrigin + performance.now() });
  },
});
for (let c = 1; c <= CONNECTIONS; c++) {
  fake.addUser({ id: `r${c}`, name: `rep${c}`, tz: 'Asia/Shanghai', locale: 'en-US' });
  fake.addChannel({ id: `room-${c}`, name: `deal-${c}`, is_private: true });
}
process.send?.({ ready: true, url: fake.url, base: fake.base });
process.on('message', (m) => {
  if (m === 'counts') {
    process.send?.({ counts: Object.fromEntries(counts) });
    counts.clear();
    fake.reset(); // recorded calls are not needed here: keep the process small
  }
  if (m === 'stop') void fake.close().then(() => process.exit(0));
});
