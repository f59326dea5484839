// The embedded database's own thread: PGlite (PostgreSQL compiled to WebAssembly) runs here so a
// query never blocks the bot's event loop (acks, timers, other users). The main thread talks to it
// through src/store/pglite-thread.ts; that file describes the messages.
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import type { FromMain, SerializedError, ToMain } from './pglite-thread.ts';

const port = parentPort!;
const send = (m: ToMain) => port.postMessage(m);

/** Parsers are functions and cannot cross threads: for the type ids the caller parses itself
 * (its `parsers` option), this thread hands back the text as PostgreSQL sent it. Every other type
 * is parsed here by PGlite's own parsers, exactly as an in-thread PGlite would. */
const identity = (x: string) => x;
const rawParsers = new Map<string, Record<number, (x: string) => string>>();
function textFor(types: number[]) {
  const key = types.join(',');
  let p = rawParsers.get(key);
  if (!p) {
    p = Object.fromEntries(types.map((t) => [t, identity]));
    rawParsers.set(key, p);
  }
  return p;
}

/** What crosses back: structured clone keeps Dates, bytes and bigints; the parsers are not sent. */
const plain = (r: Results) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows });

const DB_ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
  'query',
  'params',
] as const;

function serializeError(e: unknown): SerializedError {
  if (e instanceof messages.DatabaseError) {
    const fields: Record<string, unknown> = {};
    for (const k of DB_ERROR_FIELDS) if ((e as any)[k] !== undefined) fields[k] = (e as any)[k];
    return { database: true, message: e.message, length: e.length, name: e.name, fields };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { database: false, message: err.message, name: err.name, stack: err.stack };
}

class RolledBack extends Error {}

async function main() {
  const pg = new PGlite(workerData.dataDir as string, workerData.wasm); // the modules compiled by the main thread
  try {
    await pg.waitReady;
  } catch (e) {
    send({ id: 0, ok: false, error: serializeError(e) });
    return;
  }
  /** Open transactions by the id of the message that began them: a statement names its transaction. */
  const open = new Map<number, { tx: Transaction; end(commit: boolean): void }>();
  const inTx = (tx: number) => {
    const t = open.get(tx);
    if (!t) throw new Error(`Transaction ${tx} is not open.`);
    return t.tx;
  };
  const on = (tx: number | undefined) => (tx === undefined ? pg : inTx(tx));
  const answer = (id: number, work: () => Promise<unknown>) =>
    Promise.resolve()
      .then(work)
      .then(
        (value) => send({ id, ok: true, value }),
        (e) => send({ id, ok: false, error: serializeError(e) }),
      );

  port.on('message', (m: FromMain) => {
    switch (m.op) {
      case 'query':
        return answer(m.id, async () =>
          plain(await on(m.tx).query(m.sql, m.params, { rowMode: m.rowMode, parsers: textFor(m.text) })),
        );
      case 'exec':
        return answer(m.id, async () => (await on(m.tx).exec(m.sql)).map(plain));
      case 'begin':
        // PGlite's transaction() holds its lock (no other statement runs) until the callback ends,
        // which is when the main thread says so ('end'): the transaction is pinned and serialized.
        return answer(m.id, () =>
          pg
            .transaction(
              (tx) =>
                new Promise<void>((resolve, reject) => {
                  open.set(m.id, { tx, end: (commit) => (commit ? resolve() : reject(new RolledBack())) });
                  send({ id: m.id, begun: true });
                }),
            )
            .catch((e) => {
              if (!(e instanceof RolledBack)) throw e;
            })
            .finally(() => open.delete(m.id)),
        );
      case 'rollback':
        return answer(m.id, () => inTx(m.tx).rollback());
      case 'end': {
        open.get(m.tx)?.end(m.commit);
        return;
      }
      case 'close':
        return answer(m.id, () => pg.close());
    }
  });
  send({ id: 0, ok: true, value: 'ready' });
}

void main();
