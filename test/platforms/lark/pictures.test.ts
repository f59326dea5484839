// Funnel pictures on Lark through the real SDK against the fake Open API, on both databases: the
// PNG is uploaded (im.v1.image.create) and sent as an image message after the text, in the
// speaker's chat with the bot; a refused upload leaves the text plus one line saying why; the
// `/deal digest` preview on the weekly day carries the same picture the Monday digest does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestScheduler } from '../../../src/jobs/digest-scheduler.ts';
import type { FakeLarkMessage } from '../../fakes/fake-lark-state.ts';
import { messageEvent } from '../../fakes/lark-events.ts';
import { backends } from '../../support/db.ts';
import { ALICE, BOB, bootLark } from './helpers.ts';

const BACKENDS = await backends();
const DAY = 86_400_000;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe.each(BACKENDS)('Lark funnel pictures on %s', (backend) => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  let room: string;
  const p2p = () => s.fake.state.p2p(ALICE)!.chat_id;
  /** What Alice's chat with the bot received since `from` messages. */
  const since = (from: number) => s.fake.state.messagesIn(p2p()).slice(from);
  const count = () => s.fake.state.messagesIn(p2p()).length;
  const text = (m: FakeLarkMessage) => JSON.stringify(m.content);
  const say = (line: string, chatId = room) => s.deliver(messageEvent(line, { from: ALICE, chatId }));

  beforeAll(async () => {
    s = await bootLark('webhook', { backend }); // Monday 2026-11-23 10:00 in Shanghai
    await s.deliver(
      messageEvent('/deal new Acme | ERP rollout amount:120k', {
        from: ALICE,
        chatId: 'oc_p2p_alice',
        chatType: 'p2p',
      }),
    );
    room = [...s.fake.state.chats.values()].find((c) => c.chat_mode === 'group')!.chat_id;
    // Alice manages Bob: her digest is a manager's digest.
    await s.deliver(
      messageEvent('/deal team @Alice @Bob Li', {
        from: ALICE,
        chatId: 'oc_p2p_alice',
        chatType: 'p2p',
        mentions: [
          { openId: ALICE, name: 'Alice' },
          { openId: BOB, name: 'Bob Li' },
        ],
      }),
    );
  });
  afterAll(() => s.stop());

  it("`/deal pipeline` in the group: the text, then the funnel as an image message in the speaker's chat with the bot", async () => {
    const before = count();
    const inRoom = s.fake.state.messagesIn(room).length;
    await say('/deal pipeline');
    const got = since(before);
    expect(got.map((m) => m.msg_type)).toEqual(['interactive', 'image']); // the text first
    expect(text(got[0])).toContain('销售漏斗'); // Alice reads Chinese (the workspace's language)
    const [img] = s.fake.state.imagesIn(p2p()).slice(-1);
    expect(img).toMatchObject({ image_type: 'message', filename: 'funnel-solution.png', mimeType: 'image/png' });
    expect([...img.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(img.bytes.length).toBeGreaterThan(1000);
    expect(got[1].content).toEqual({ image_key: img.image_key });
    // Numbers only the speaker may see: nothing new in the group.
    expect(s.fake.state.messagesIn(room)).toHaveLength(inRoom);
    const upload = s.fake.callsOf('image.create').at(-1)!;
    expect(upload.auth).toMatch(/^Bearer t-/);
    expect(upload.body).toMatchObject({ image_type: 'message' });
  });

  it.each([
    [
      'the app lacks im:resource',
      'zh',
      { code: 99991672, msg: 'Access denied. One of the following scopes is required: [im:resource]' },
      ['销售漏斗', '漏斗图未能发送：应用缺少权限（99991672）', '上面的文字包含同样的数字。'],
    ],
    [
      'a rate limit longer than the one retry',
      'en',
      { rateLimit: 60 },
      [
        'Pipeline',
        'The funnel picture could not be sent: the chat platform asked us to slow down (retry in 60s).',
        'The text above has the same numbers.',
      ],
    ],
  ] as const)(
    'upload refused (%s, read in %s): the complete text arrives, then one line saying why; no image',
    async (_what, lang, failure, [title, why, same]) => {
      await say(`/deal lang ${lang}`, 'oc_p2p_alice');
      const before = count();
      const images = s.fake.state.images.size;
      s.fake.failNext('image.create', failure);
      await say('/deal pipeline');
      const got = since(before);
      expect(got.map((m) => m.msg_type)).toEqual(['interactive', 'interactive']);
      expect(text(got[0])).toContain(title); // the answer itself, whole
      expect(text(got[1])).toContain(why);
      expect(text(got[1])).toContain(same);
      expect(s.fake.state.images.size).toBe(images);
    },
  );

  it('`/deal digest` on the weekly day attaches the same funnel picture the Monday digest does; on Tuesday none', async () => {
    const before = count();
    await say('/deal digest', 'oc_p2p_alice');
    const preview = since(before);
    expect(preview.map((m) => m.msg_type)).toEqual(['interactive', 'image']);
    expect(text(preview[0])).toContain('Acme');
    const previewPng = s.fake.state.imagesIn(p2p()).at(-1)!.bytes;

    // The scheduled Monday digest: the same picture after its card.
    const sched = count();
    expect(await new DigestScheduler({ deps: s.app.deps, platform: 'lark' }).tick()).toMatchObject({ sent: 1 });
    expect(since(sched).map((m) => m.msg_type)).toEqual(['interactive', 'image']);
    expect(s.fake.state.imagesIn(p2p()).at(-1)!.bytes.equals(previewPng)).toBe(true);

    s.clock.advance(DAY); // Tuesday: a daily digest, no weekly report, no picture
    const tuesday = count();
    await say('/deal digest', 'oc_p2p_alice');
    expect(since(tuesday).map((m) => m.msg_type)).toEqual(['interactive']);
  });
});
