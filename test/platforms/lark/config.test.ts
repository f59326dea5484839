// The Lark section of the configuration: every mistake names the variable to fix.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';

const base = { LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: 's3cret' };

describe('Lark configuration', () => {
  it('is off without an app id, on with id and secret (long connection to Feishu by default)', () => {
    expect(loadConfig({}).lark).toBeNull();
    expect(loadConfig(base).lark).toMatchObject({ appId: base.LARK_APP_ID, mode: 'ws', domain: 'feishu', port: 3000 });
  });

  it.each([
    [{ LARK_APP_ID: 'app-1', LARK_APP_SECRET: 'x' }, 'LARK_APP_ID'],
    [{ LARK_APP_SECRET: 'x' }, 'LARK_APP_ID'],
    [{ LARK_APP_ID: base.LARK_APP_ID }, 'LARK_APP_SECRET'],
    [{ ...base, LARK_MODE: 'webhook' }, 'LARK_ENCRYPT_KEY'],
    [{ ...base, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: 'k' }, 'LARK_VERIFICATION_TOKEN'],
    [{ ...base, LARK_MODE: 'socket' }, 'LARK_MODE'],
    [{ ...base, LARK_DOMAIN: 'larksuite' }, 'LARK_DOMAIN'],
  ])('%j is refused naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}:`));
  });

  it('webhook mode with its secrets; a base URL as domain; beside Slack HTTP it takes the next port', () => {
    const c = loadConfig({
      ...base,
      LARK_MODE: 'webhook',
      LARK_ENCRYPT_KEY: 'k',
      LARK_VERIFICATION_TOKEN: 'v',
      LARK_DOMAIN: 'https://open.example.internal',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'sig',
      PORT: '8080',
    });
    expect(c.lark).toMatchObject({
      mode: 'webhook',
      encryptKey: 'k',
      domain: 'https://open.example.internal',
      port: 8081,
    });
    expect(c.slack).not.toBeNull();
    expect(loadConfig({ ...base, LARK_PORT: '9000' }).lark?.port).toBe(9000);
  });
});
