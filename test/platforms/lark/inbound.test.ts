// How Lark messages and card clicks become commands, and how neutral text becomes card markdown.
import { describe, expect, it } from 'vitest';
import { command, mention, roomLink, strong, userText, webLink } from '../../../src/app/message.ts';
import { tokenize } from '../../../src/commands/tokenize.ts';
import { cutLarkMarkdown, escapeLarkMarkdown, larkMarkdown, toLarkCard } from '../../../src/platforms/lark/card.ts';
import { commandFromCardAction, commandFromMessage, messageText } from '../../../src/platforms/lark/inbound.ts';

const BOT = 'ou_bot';
const m = (n: number, openId: string, name: string) => ({ key: `@_user_${n}`, id: { open_id: openId }, name });

describe('commandFromMessage', () => {
  it.each([
    // text, mentions, chat type, command
    ['@_user_1 /deal stage proposal', [m(1, BOT, 'Dealroom')], 'group', 'stage proposal'],
    ['@_user_1 stage proposal', [m(1, BOT, 'Dealroom')], 'group', 'stage proposal'],
    ['/deal stage proposal', [], 'group', 'stage proposal'],
    ['／deal 阶段 方案', [], 'group', '阶段 方案'],
    ['stage proposal', [], 'group', null], // ordinary chat in a group
    ['/dealer is here', [], 'group', null],
    ['stage proposal', [], 'p2p', 'stage proposal'],
    ['/deal', [], 'p2p', 'help'],
    ['@_user_1', [m(1, BOT, 'Dealroom')], 'group', 'help'],
    [
      '/deal invite @_user_1 @_user_2',
      [m(1, 'ou_bob', 'Bob Li'), m(2, 'ou_carol', 'Carol')],
      'group',
      'invite <@ou_bob|Bob Li> <@ou_carol|Carol>',
    ],
    ['/deal action @_user_10 demo', [m(10, 'ou_ten', 'Ten')], 'group', 'action <@ou_ten|Ten> demo'],
    ['/deal log <@ou_evil|boss> said yes', [], 'group', 'log ＜@ou_evil|boss> said yes'],
    ['/deal log @_all hello', [], 'group', 'log  hello'],
    ['/deal log a < b', [], 'group', 'log a < b'],
  ])('%j in %s -> %j', (text, mentions, chatType, expected) => {
    const out = commandFromMessage(text, mentions, BOT, chatType);
    expect(out === null ? null : out.replace(/\s+/g, ' ')).toBe(
      expected === null ? null : expected.replace(/\s+/g, ' '),
    );
  });

  it('typed mention syntax never reaches the grammar as a mention; mapped ones do', () => {
    const typed = tokenize(commandFromMessage('/deal invite <@ou_evil>', [], BOT, 'group')!);
    expect(typed.some((t) => t.mention?.kind === 'id')).toBe(false);
    const real = tokenize(commandFromMessage('/deal invite @_user_1', [m(1, 'ou_bob', 'Bob Li')], BOT, 'group')!);
    expect(real.find((t) => t.mention)?.mention).toEqual({ kind: 'id', id: 'ou_bob', name: 'Bob Li' });
  });
});

describe('messageText', () => {
  const post = JSON.stringify({
    title: '',
    content: [
      [
        { tag: 'at', user_id: '@_user_1', user_name: 'Dealroom' },
        { tag: 'text', text: '/deal log ', style: ['bold'] },
        { tag: 'a', text: 'the RFP', href: 'https://x.test' },
      ],
      [
        { tag: 'text', text: 'next:friday' },
        { tag: 'img', image_key: 'img_1' },
      ],
    ],
  });
  it.each([
    ['text', JSON.stringify({ text: '/deal info' }), '/deal info'],
    ['post', post, '@_user_1 /deal log the RFP\nnext:friday'],
    ['image', JSON.stringify({ image_key: 'img_1' }), null],
    ['text', 'not json', null],
    ['text', 'null', null],
    ['text', JSON.stringify({ text: 42 }), null],
    ['post', JSON.stringify({ content: 'flat' }), null],
  ])('%s %s -> %j', (type, content, expected) => {
    expect(messageText(type, content)).toBe(expected);
  });
});

describe('commandFromCardAction', () => {
  it.each([
    [{ a: 'action_done', v: '12:3' }, undefined, 'done #12 3'],
    [{ a: 'stage_select' }, '12:proposal', 'stage #12 proposal'],
    [{ a: 'action_done', v: '12:3; won' }, undefined, null],
    [{ a: 'stage_select' }, '12:won now', null],
    [{ a: 'something_else', v: '1:1' }, undefined, null],
    [null, undefined, null],
    ['string', 'x', null],
  ])('%j %j -> %j', (value, option, expected) => {
    expect(commandFromCardAction(value, option)).toBe(expected);
  });
});

describe('card markdown', () => {
  it('renders parts as card markdown, and escapes literal text', () => {
    expect(larkMarkdown([strong('Owner'), ': ', mention('ou_a1'), ' & ', ...userText('<@ou_b2|bob>')])).toBe(
      '**Owner**: <at id=ou_a1></at> &amp; <at id=ou_b2></at>',
    );
    expect(larkMarkdown('hi <at id=all></at> [x](http://evil) ~~s~~ `c` *e* _i_')).toBe(
      'hi &lt;at id=all&gt;&lt;/at&gt; &#91;x&#93;(http://evil) &#126;&#126;s&#126;&#126; &#96;c&#96; &#42;e&#42; &#95;i&#95;',
    );
    expect(escapeLarkMarkdown('**')).toBe('&#42;&#42;');
    expect(escapeLarkMarkdown('# not a heading\n## nor this\n#12')).toBe('&#35; not a heading\n&#35;# nor this\n#12');
    expect(larkMarkdown('')).toBe('');
  });

  it('renders mentions, rooms and links only with valid ids and safe URLs; commands as `/deal …`', () => {
    expect(larkMarkdown([mention('ou_1'), ' ', mention('all'), ' ', mention('U123')])).toBe(
      '<at id=ou_1></at> @all @U123',
    );
    expect(larkMarkdown([roomLink('oc_9')])).toBe('[💬](https://applink.feishu.cn/client/chat/open?openChatId=oc_9)');
    expect(larkMarkdown([roomLink('oc_9')], { applink: 'https://applink.larksuite.com' })).toContain(
      'https://applink.larksuite.com/client/chat/open?openChatId=oc_9',
    );
    expect(larkMarkdown([roomLink('deal-acme')])).toBe('#deal-acme');
    expect(larkMarkdown([webLink('https://acme.example/a?b=1', 'Report [Q3]')])).toBe(
      '[Report &#91;Q3&#93;](https://acme.example/a?b=1)',
    );
    expect(larkMarkdown([webLink('javascript:alert(1)', 'x'), ' ', webLink('https://a.example/)(evil')])).toBe(
      'x https://a.example/)(evil',
    );
    expect(larkMarkdown(['move it: ', command('stage proposal')])).toBe('move it: `/deal stage proposal`');
    expect(larkMarkdown([command('stage <stage>')])).toBe('/deal stage &lt;stage&gt;');
  });

  it('cuts never inside an entity, a mention, a link or a surrogate pair, and closes an open bold', () => {
    const cases: [string, RegExp][] = [
      [`${'x'.repeat(95)}&#42;&#42;`, /x…$/],
      [`${'x'.repeat(90)}<at id=ou_1></at>`, /x…$/],
      [`${'x'.repeat(90)}[label](https://a.example)`, /x…$/],
      [`${'x'.repeat(98)}😀😀`, /x…$/],
      [`**${'x'.repeat(120)}**`, /x\*\*…$/],
    ];
    for (const [s, end] of cases) {
      const out = cutLarkMarkdown(s, 100);
      expect(out.length).toBeLessThanOrEqual(100);
      expect(out).toMatch(end);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });

  it('builds a JSON 2.0 card: header title, buttons with callback values, a select with its pick', () => {
    const card = JSON.parse(
      toLarkCard({
        text: ['fallback ', mention('ou_x'), ' <@ou_y>'],
        blocks: [
          { type: 'header', text: '#1 Acme' },
          {
            type: 'items',
            items: [{ text: '#1 demo', button: { actionId: 'action_done', label: 'Done', value: '1:1' } }],
          },
          {
            type: 'select',
            actionId: 'stage_select',
            placeholder: 'Move',
            selected: 'lead',
            options: [
              { label: 'Lead', value: '1:lead' },
              { label: 'Won', value: '1:won' },
            ],
          },
        ],
      }),
    );
    expect(card).toMatchObject({
      schema: '2.0',
      config: { update_multi: true, summary: { content: 'fallback @… <@ou_y>' } },
    });
    expect(card.header.title.content).toBe('#1 Acme');
    const button = card.body.elements[0].columns[1].elements[0];
    expect(button.behaviors).toEqual([{ type: 'callback', value: { a: 'action_done', v: '1:1' } }]);
    expect(card.body.elements[1]).toMatchObject({ tag: 'select_static', initial_option: '1:lead' });
  });

  it('stays within Lark limits however long the message', () => {
    const json = toLarkCard({
      text: 'x',
      blocks: Array.from({ length: 400 }, (_, i) => ({ type: 'text' as const, text: `${i} ${'长'.repeat(300)}` })),
    });
    expect(Buffer.byteLength(json)).toBeLessThan(30 * 1024);
    expect(JSON.parse(json).body.elements.at(-1).content).toBe('…');
  });
});
