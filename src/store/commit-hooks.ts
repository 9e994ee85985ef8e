/**
 * Work a caller wants done inside each transaction it commits, just before the commit: the audit trail
 * writes a call's event in the transaction that makes the call's change, so a change can never be durable
 * without its event (a kill between the two used to lose the event). The hook belongs to the async context
 * that opened the transaction; transactions of other contexts are untouched. A hook that fails rolls the
 * transaction back.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CompiledQuery, Dialect, Driver } from 'kysely';

export type BeforeCommit = (execute: (query: CompiledQuery) => Promise<unknown>) => Promise<void>;

const hooks = new AsyncLocalStorage<BeforeCommit>();

/** Runs `work` so that every transaction it commits runs `hook` first, on the transaction's connection. */
export function withBeforeCommit<T>(hook: BeforeCommit, work: () => Promise<T>): Promise<T> {
  return hooks.run(hook, work);
}

/** The dialect with a driver that honours `withBeforeCommit`. */
export function withCommitHooks(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => hookedDriver(dialect.createDriver()),
  };
}

function hookedDriver(driver: Driver): Driver {
  const hooked: Driver = {
    init: () => driver.init(),
    acquireConnection: () => driver.acquireConnection(),
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    async commitTransaction(connection) {
      const hook = hooks.getStore();
      if (hook !== undefined) await hook((query) => connection.executeQuery(query));
      await driver.commitTransaction(connection);
    },
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    releaseConnection: (connection) => driver.releaseConnection(connection),
    destroy: () => driver.destroy(),
  };
  if (driver.savepoint) hooked.savepoint = driver.savepoint.bind(driver);
  if (driver.rollbackToSavepoint) hooked.rollbackToSavepoint = driver.rollbackToSavepoint.bind(driver);
  if (driver.releaseSavepoint) hooked.releaseSavepoint = driver.releaseSavepoint.bind(driver);
  return hooked;
}
