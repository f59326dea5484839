// Sees every SQL statement the Prisma client sends through its driver adapter: the statement-count
// test (test/integration/statement-count.test.ts) and the bench count round trips with it.
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/** Called with each statement's SQL; BEGIN, COMMIT and ROLLBACK are reported as such. */
export type StatementObserver = (sql: string) => void;

const wrap = <T extends object>(target: T, on: StatementObserver): T =>
  new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== 'function') return v;
      if (prop === 'queryRaw' || prop === 'executeRaw')
        return (q: { sql: string }) => {
          on(q.sql);
          return v.call(t, q);
        };
      if (prop === 'startTransaction')
        return async (...a: unknown[]) => {
          on('BEGIN');
          return wrap(await v.apply(t, a), on);
        };
      if (prop === 'commit' || prop === 'rollback')
        return () => {
          on(prop === 'commit' ? 'COMMIT' : 'ROLLBACK');
          return v.call(t);
        };
      return v.bind(t);
    },
  });

export function observeStatements<F extends SqlDriverAdapterFactory>(factory: F, on: StatementObserver): F {
  return new Proxy(factory, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (prop === 'connect') return async () => wrap(await t.connect(), on);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}
