// PGlite in a worker thread (src/store/pglite-worker.ts), seen from the main thread through the
// part of PGlite's interface that pglite-prisma-adapter and our migrations use: query, exec,
// transaction (with query and rollback inside) and close. PGlite runs PostgreSQL on the thread that
// calls it; in-thread, every query stopped the bot's event loop (acks waited behind a digest).
//
// PGlite's own PGliteWorker (@electric-sql/pglite/worker) is built for browser tabs: it needs
// navigator.locks (absent from Node 20), web-style Worker globals and leader election over
// BroadcastChannel, and it sends an error back as its message only, so the adapter could no longer
// tell a unique violation (SQLSTATE 23505, Prisma's P2002) from any other failure
// (https://github.com/electric-sql/pglite/issues/398: no Node worker_threads support). Hence this file.
//
// Messages: the main thread sends {id, op, …}; the worker answers {id, ok, value | error}, and for
// 'begin' first {id, begun} once BEGIN ran, then the answer when the transaction has ended.
// Statements inside a transaction carry its id; PGlite's lock keeps everything else waiting.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { messages, type Results, type Transaction } from '@electric-sql/pglite';
import { DealroomError } from '../domain/errors.ts';

type Parser = (x: string, typeId: number) => unknown;
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, Parser>;
}

export type FromMain =
  | {
      id: number;
      op: 'query';
      sql: string;
      params: unknown[];
      rowMode?: 'array' | 'object';
      text: number[];
      tx?: number;
    }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'rollback'; tx: number }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type SerializedError =
  | { database: true; message: string; length: number; name: string; fields: Record<string, unknown> }
  | { database: false; message: string; name: string; stack?: string };

export type ToMain =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { id: number; begun: true };

/** PostgreSQL's WebAssembly, compiled once per process. An in-thread PGlite caches it per
 * process too; a new worker would compile it again (seconds on a busy machine) for every database
 * opened. A compiled module crosses to a worker thread as is. */
let compiled: Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module }> | undefined;
function compiledWasm() {
  compiled ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const compile = async (f: string) => WebAssembly.compile(await fs.promises.readFile(path.join(dist, f)));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([compile('pglite.wasm'), compile('initdb.wasm')]);
    return { pgliteWasmModule, initdbWasmModule };
  })();
  return compiled;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  begun?(): void;
}

/** The worker's file is TypeScript, like the rest. tsx's `--import tsx` hooks only the main
 * thread, and vitest none, so the worker starts from a two-line script that registers tsx first. */
const WORKER_URL = new URL('./pglite-worker.ts', import.meta.url).href;
// `tsx/esm/api` is ESM-only in practice (its CommonJS build registers a wrong path): resolve that file.
const TSX_API = pathToFileURL(
  path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;
const BOOT = `import(${JSON.stringify(TSX_API)}).then((t) => { t.register(); return import(${JSON.stringify(WORKER_URL)}); });`;

/** Rebuilds an error from the worker: PostgreSQL's errors become PGlite's DatabaseError again (the
 * adapter maps them to Prisma's codes by `instanceof` and SQLSTATE). */
function revive(e: SerializedError): Error {
  if (e.database) return Object.assign(new messages.DatabaseError(e.message, e.length, e.name as any), e.fields);
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** Applies the caller's parsers, on this thread, to the columns the worker left as text. */
function parse(r: Results, opts: QueryOptions | undefined): Results {
  const parsers = opts?.parsers;
  if (!parsers || !r.rows.length) return r;
  const cols = r.fields.flatMap((f, i) => {
    const p = parsers[f.dataTypeID] as Parser | undefined;
    return p ? [{ i, name: f.name, id: f.dataTypeID, p }] : [];
  });
  if (!cols.length) return r;
  for (const row of r.rows as any[]) {
    for (const c of cols) {
      const k = Array.isArray(row) ? c.i : c.name;
      if (row[k] !== null) row[k] = c.p(row[k], c.id);
    }
  }
  return r;
}

export class PGliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;
  private closing = false;
  private opened = false;

  private constructor(
    workerData: { dataDir: string; wasm: Awaited<ReturnType<typeof compiledWasm>> },
    private readonly onFatal: (e: Error) => void,
  ) {
    this.worker = new Worker(BOOT, { eval: true, workerData });
    this.worker.unref(); // only a call in flight keeps the process alive, as with an in-thread PGlite
    this.worker.on('message', (m: ToMain) => this.receive(m));
    this.worker.on('error', (e) => this.die(`failed: ${e.message}`, e));
    this.worker.on('exit', (code) => this.die(`exited with code ${code}`));
  }

  /** Starts the worker and waits until PGlite is open (its first answer, id 0). */
  static async open(dataDir: string, onFatal: (e: Error) => void = () => {}): Promise<PGliteThread> {
    const t = new PGliteThread({ dataDir, wasm: await compiledWasm() }, onFatal);
    try {
      await t.track(0);
    } catch (e) {
      t.closing = true;
      await t.worker.terminate();
      throw e;
    }
    t.opened = true;
    return t;
  }

  /** The worker itself, for tests that stop it on purpose. */
  get thread(): Worker {
    return this.worker;
  }

  private receive(m: ToMain) {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('begun' in m) return p.begun?.();
    this.settle(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(revive(m.error));
  }

  private settle(id: number) {
    this.pending.delete(id);
    if (!this.pending.size) this.worker.unref();
  }

  /** A worker that stops without being closed fails every call in flight and every later one:
   * nothing waits forever on a database that is gone, and the owner hears of it (onFatal). */
  private die(how: string, cause?: Error) {
    if (this.closing || this.dead) return;
    this.dead = new DealroomError(
      'database_worker_died',
      `The embedded database's worker thread ${how}. Statements in flight were not confirmed; restart Dealroom (it reopens the database from its folder).`,
      {},
      { cause },
    );
    for (const [id, p] of this.pending) {
      this.settle(id);
      p.reject(this.dead);
    }
    if (this.opened) this.onFatal(this.dead);
  }

  private track(id: number, begun?: () => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      if (!this.pending.size) this.worker.ref();
      this.pending.set(id, { resolve, reject, begun });
    });
  }

  private call(msg: DistributiveOmit<FromMain, 'id'>, begun?: () => void): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.closing) return Promise.reject(new DealroomError('database_closed', 'The database is closed.'));
    const id = this.nextId++;
    const answer = this.track(id, begun);
    this.worker.postMessage({ ...msg, id });
    return answer;
  }

  private runQuery(sql: string, params: unknown[] = [], opts?: QueryOptions, tx?: number) {
    const text = opts?.parsers ? Object.keys(opts.parsers).map(Number) : [];
    return this.call({ op: 'query', sql, params, rowMode: opts?.rowMode, text, tx }).then((r) =>
      parse(r as Results, opts),
    );
  }

  query<T = unknown>(sql: string, params?: unknown[], opts?: QueryOptions): Promise<Results<T>> {
    return this.runQuery(sql, params, opts) as Promise<Results<T>>;
  }

  exec(sql: string): Promise<Results[]> {
    return this.call({ op: 'exec', sql }) as Promise<Results[]>;
  }

  /** Runs `fn` inside BEGIN … COMMIT on the worker; a throw from `fn` rolls back and is rethrown. */
  async transaction<T>(fn: (tx: Pick<Transaction, 'query' | 'exec' | 'rollback'>) => Promise<T>): Promise<T> {
    let out: { value: T } | { error: unknown } | undefined;
    let txId = 0;
    const ended = this.call({ op: 'begin' }, () => {
      let closed = false;
      const live = () => {
        if (closed) throw new Error('Transaction is closed');
      };
      const tx = {
        query: async <R>(sql: string, params?: unknown[], opts?: QueryOptions) => {
          live();
          return (await this.runQuery(sql, params, opts, txId)) as Results<R>;
        },
        exec: async (sql: string) => {
          live();
          return (await this.call({ op: 'exec', sql, tx: txId })) as Results[];
        },
        rollback: async () => {
          live();
          await this.call({ op: 'rollback', tx: txId });
          closed = true;
        },
      };
      // Called inside the promise chain: a `fn` that throws synchronously still ends the transaction.
      Promise.resolve(tx as any)
        .then(fn)
        .then(
          (value) => {
            out = { value };
            this.worker.postMessage({ op: 'end', tx: txId, commit: true, id: 0 });
          },
          (error) => {
            out = { error };
            this.worker.postMessage({ op: 'end', tx: txId, commit: false, id: 0 });
          },
        );
    });
    txId = this.nextId - 1; // the id `call` just gave 'begin'
    await ended;
    if (!out) throw new Error('The transaction ended before its work did.');
    if ('error' in out) throw out.error;
    return out.value;
  }

  /** Closes PGlite (it writes its files) and ends the worker. */
  async close(): Promise<void> {
    if (this.closing) return;
    if (!this.dead) await this.call({ op: 'close' });
    this.closing = true;
    await this.worker.terminate();
  }
}
