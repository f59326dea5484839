// A fake Lark long-connection gateway for WSClient. What the SDK (1.74) does:
//   POST {domain}/callback/ws/endpoint {AppID, AppSecret} -> {code:0, data:{URL, ClientConfig}}
//   then a WebSocket to URL; frames are protobuf pbbp2.Frame (schema mirrored from the SDK bundle).
//   An event is a data frame (method=1) with headers type=event, message_id, sum, seq, trace_id and
//   the event JSON as payload; the client answers with the same frame plus biz_rt, payload
//   {"code":200,"data":base64(JSON(handler result))}. Events over this connection are not signed.
// https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeLark } from './fake-lark-api.ts';

const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Frame: {
          fields: {
            SeqID: { type: 'uint64', id: 1 },
            LogID: { type: 'uint64', id: 2 },
            service: { type: 'int32', id: 3 },
            method: { type: 'int32', id: 4 },
            headers: { rule: 'repeated', type: 'Header', id: 5 },
            payloadEncoding: { type: 'string', id: 6 },
            payloadType: { type: 'string', id: 7 },
            payload: { type: 'bytes', id: 8 },
            LogIDNew: { type: 'string', id: 9 },
          },
        },
      },
    },
  },
});
const Frame = root.lookupType('pbbp2.Frame');

interface DecodedFrame {
  method: number;
  service: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}
export interface GatewayAnswer {
  headers: Record<string, string>;
  resp: { code: number; data?: string };
  /** the handler's result, decoded */
  data: unknown;
}

export async function startFakeLarkWs(fake: FakeLark) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as AddressInfo).port;
  // The SDK reads device_id/service_id with qs.parse over the whole URL: keep them out of first place.
  const url = `ws://127.0.0.1:${port}/ws/v2?fpid=1&device_id=dev1&service_id=7&ticket=t`;
  const endpointCalls: unknown[] = [];
  fake.override('ws.endpoint', (c) => {
    endpointCalls.push(c.body);
    if (c.body?.AppID !== fake.appId || c.body?.AppSecret !== fake.appSecret)
      return [200, { code: 1000040345, msg: 'invalid app credentials' }];
    return [
      200,
      {
        code: 0,
        msg: 'ok',
        data: {
          URL: url,
          ClientConfig: { PingInterval: 120, ReconnectCount: 0, ReconnectInterval: 1, ReconnectNonce: 0 },
        },
      },
    ];
  });
  let sock: WebSocket | undefined;
  let waiters: ((w: WebSocket) => void)[] = [];
  const pending = new Map<string, (r: GatewayAnswer) => void>();
  wss.on('connection', (ws) => {
    ws.on('message', (buf: Buffer) => {
      const f = Frame.toObject(Frame.decode(buf), { longs: Number }) as DecodedFrame;
      const h = Object.fromEntries(f.headers.map((x) => [x.key, x.value]));
      if (f.method === 0) {
        // The SDK attaches its message listener only after 'open' resolves, so frames sent on
        // 'connection' are lost; its first ping (sent from the open handler) means it is ready.
        if (!sock) {
          sock = ws;
          setImmediate(() => {
            for (const w of waiters) w(ws);
            waiters = [];
          });
        }
        return;
      }
      const resp = JSON.parse(Buffer.from(f.payload ?? []).toString()) as GatewayAnswer['resp'];
      pending.get(h.message_id)?.({
        headers: h,
        resp,
        data: resp.data ? JSON.parse(Buffer.from(resp.data, 'base64').toString()) : undefined,
      });
    });
  });
  let n = 0;
  return {
    endpointCalls,
    /** resolves once the client can receive frames */
    connected: () => (sock ? Promise.resolve(sock) : new Promise<WebSocket>((r) => waiters.push(r))),
    /** delivers one event (schema 2.0 JSON) and resolves with the client's answer frame */
    push(event: object): Promise<GatewayAnswer> {
      const message_id = `m${++n}`;
      const frame = Frame.create({
        SeqID: n,
        LogID: n,
        service: 7,
        method: 1,
        headers: [
          ['type', 'event'],
          ['message_id', message_id],
          ['sum', '1'],
          ['seq', '0'],
          ['trace_id', `tr${n}`],
        ].map(([key, value]) => ({ key, value })),
        payload: Buffer.from(JSON.stringify(event)),
      });
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no answer frame')), 5000);
        pending.set(message_id, (r) => {
          clearTimeout(t);
          resolve(r);
        });
        sock!.send(Frame.encode(frame).finish());
      });
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}
