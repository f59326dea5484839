// The manifest must say exactly what the code registers and the scopes of what it calls.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NEW_DEAL_VIEW } from '../../../src/platforms/slack/listeners/views.ts';
import { BOT_EVENTS, BOT_SCOPES, SLASH_COMMAND } from '../../../src/platforms/slack/scopes.ts';

const manifests = ['manifest/slack-app.json', 'manifest/slack-app.socket-mode.json'].map(
  (f) => [f, JSON.parse(fs.readFileSync(f, 'utf8'))] as const,
);

describe.each(manifests)('%s', (_f, m) => {
  it('requests exactly the bot scopes the code uses', () => {
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(BOT_SCOPES);
  });
  it('declares the one /deal command, escaped', () => {
    expect(m.features.slash_commands).toEqual([
      expect.objectContaining({ command: SLASH_COMMAND, should_escape: true }),
    ]);
  });
  it('subscribes to the events the code listens to, with interactivity and the App Home tab', () => {
    expect(m.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.features.app_home.home_tab_enabled).toBe(true);
  });
  it('matches the listeners registered in code', () => {
    const src = ['commands', 'events', 'views', 'actions', 'files']
      .map((f) => fs.readFileSync(`src/platforms/slack/listeners/${f}.ts`, 'utf8'))
      .join('\n');
    expect(src).toMatch(/app\.command\(command/);
    for (const e of BOT_EVENTS)
      if (e === 'message.im')
        // Read in front of Bolt (it acks events before listeners run): files shared in the bot's DM.
        expect(src).toMatch(/subtype !== 'file_share'[\s\S]*channel_type !== 'im'/);
      else expect(src).toContain(`app.event('${e}'`);
    expect(src).toContain('app.view(NEW_DEAL_VIEW');
    expect(NEW_DEAL_VIEW).toBe('deal_new');
  });
});

it('socket mode and HTTP manifests differ only in transport', () => {
  const [[, http], [, socket]] = manifests;
  expect(http.settings.socket_mode_enabled).toBe(false);
  expect(socket.settings.socket_mode_enabled).toBe(true);
  expect(http.features.slash_commands[0].url).toMatch(/\/slack\/events$/);
  expect(socket.oauth_config).toEqual(http.oauth_config);
});
