// A fake Socket Mode backend: a local WebSocket server that apps.connections.open points the app
// at. It says hello, pushes envelopes and returns the app's ack frames.
// https://api.slack.com/apis/connections/socket#connect
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack } from './fake-slack-api.ts';

export interface FakeSocket {
  push(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: object,
  ): Promise<{ envelope_id: string; payload?: any }>;
  close(): Promise<void>;
}

export async function startFakeSocket(fake: FakeSlack, appToken: string): Promise<FakeSocket> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=t1`;
  // apps.connections.open takes the app-level token, not the bot token.
  fake.override('apps.connections.open', (c) =>
    c.token === appToken ? { ok: true, url: wsUrl } : { ok: false, error: 'invalid_auth' },
  );
  let current: WebSocket | undefined;
  const pending = new Map<string, (m: any) => void>();
  wss.on('connection', (ws) => {
    current = ws;
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake' },
        connection_info: { app_id: 'A1' },
      }),
    );
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      pending.get(m.envelope_id)?.(m);
      pending.delete(m.envelope_id);
    });
  });
  let n = 0;
  return {
    push(type, payload) {
      const envelope_id = `env-${++n}`;
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ack for ${envelope_id}`)), 3000);
        pending.set(envelope_id, (m) => {
          clearTimeout(t);
          resolve(m);
        });
        current!.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api' }));
      });
    },
    close: () =>
      new Promise((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}
