// manifest/lark-app.json must say exactly what the code registers and the scopes of what it calls.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/app/logger.ts';
import { PlatformRegistry } from '../../../src/app/platforms.ts';
import { ProcessCatalog } from '../../../src/app/process-config.ts';
import { createLarkApp } from '../../../src/platforms/lark/app.ts';
import { API_SCOPES, BOT_MENU, CALLBACKS, EVENTS, TENANT_SCOPES } from '../../../src/platforms/lark/scopes.ts';
import { LARK_PATHS } from '../../../src/platforms/lark/webhook.ts';

const manifest = JSON.parse(fs.readFileSync('manifest/lark-app.json', 'utf8'));
const src = (f: string) => fs.readFileSync(`src/platforms/lark/${f}`, 'utf8');

describe('manifest/lark-app.json', () => {
  it('asks for exactly the tenant scopes the code needs', () => {
    expect([...manifest.permissions.tenant_scopes].sort()).toEqual(TENANT_SCOPES);
  });

  it('lists every Open API the adapter calls, and only those', () => {
    const called = [...src('lark-platform.ts').matchAll(/this\.client\.(\w+)\.(\w+)\.(\w+)\(/g)].map(
      (m) => `${m[1]}.${m[2]}.${m[3]}`,
    );
    const urls = [...src('lark-platform.ts').matchAll(/url: '\/open-apis\/([^']+)'/g)].map((m) => m[1]);
    expect([...new Set([...called, ...urls])].sort()).toEqual(Object.keys(API_SCOPES).sort());
  });

  it('subscribes to the events and callbacks the dispatcher handles', () => {
    expect(manifest.events_and_callbacks.events).toEqual(EVENTS);
    expect(manifest.events_and_callbacks.callbacks).toEqual(CALLBACKS);
    const app = createLarkApp({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 'x',
      domain: 'http://127.0.0.1:9',
      mode: 'ws',
      deps: {
        store: {} as never,
        platforms: new PlatformRegistry(),
        clock: { now: () => new Date(0) },
        log: silentLogger,
        defaults: { currency: 'USD', timezone: 'UTC', locale: 'en' },
        processes: new ProcessCatalog(),
      },
    });
    const handled = [...(app.dispatcher as unknown as { handles: Map<string, unknown> }).handles.keys()];
    expect(handled.filter((k) => k !== 'app_ticket').sort()).toEqual([...EVENTS, ...CALLBACKS].sort());
  });

  it('declares the bot menu the code answers, and the webhook paths the server serves', () => {
    expect(manifest.features.bot.menu.map((m: { event_key: string }) => m.event_key)).toEqual(Object.keys(BOT_MENU));
    const hook = manifest.events_and_callbacks.subscription_modes.webhook;
    expect([new URL(hook.event_request_url).pathname, new URL(hook.callback_request_url).pathname]).toEqual([
      ...LARK_PATHS,
    ]);
  });
});
