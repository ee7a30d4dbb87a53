import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import { withDatabase } from '../options.js';
import { adminQuery } from '../admin-query.js';

/**
 * A driver-adapter factory for Prisma's WebAssembly schema engine, built on
 * `@prisma/adapter-pg`, with three corrections that the engine needs and
 * adapter-pg 7.10 does not provide:
 *
 * 1. Columns of PostgreSQL's internal `"char"` type (oid 18; pg_catalog's
 *    constraint and relation kinds) are reported as `Character`. adapter-pg
 *    throws "Column type 'char' could not be deserialized" on them, which
 *    breaks every schema description.
 * 2. `executeScript` sends the whole script as one simple query, as Prisma's
 *    native engine does. adapter-pg splits it on every `;`, which breaks
 *    function bodies (`$$ ... ; ... $$`) and string literals.
 * 3. The shadow database gets a unique name and is dropped `WITH (FORCE)`
 *    when the engine disposes of it; `close()` drops any the engine left.
 */
export interface MigrationAdapterFactory {
  /** Pass this to `SchemaEngine.new` after `bindMigrationAwareSqlAdapterFactory`. */
  readonly factory: SqlMigrationAwareDriverAdapterFactory;
  /** Closes every pool this factory opened and drops leftover shadow databases. */
  close(): Promise<void>;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** Row arrays of results that held `"char"` columns, with those columns' indexes. */
const charColumnsByRows = new WeakMap<unknown[], number[]>();

interface FieldLike {
  dataTypeID: number;
}
interface ResultLike {
  fields?: FieldLike[];
  rows?: unknown[];
}

function markCharColumns(result: unknown): unknown {
  for (const one of Array.isArray(result) ? (result as ResultLike[]) : [result as ResultLike]) {
    const indexes: number[] = [];
    one?.fields?.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indexes.push(index);
      }
    });
    if (indexes.length > 0 && one.rows) charColumnsByRows.set(one.rows, indexes);
  }
  return result;
}

/** A pg client that lets adapter-pg read `"char"` columns as text, remembering which they were. */
class CharAwareClient extends pg.Client {
  // pg's query() has many overloads; this wrapper forwards every form unchanged.
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: unknown) =>
        (callback as (e: unknown, r: unknown) => void)(error, error ? result : markCharColumns(result));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    if (returned instanceof Promise) return returned.then(markCharColumns) as never;
    return returned as never;
  }
}

function fixCharColumns(result: SqlResultSet): SqlResultSet {
  const indexes = charColumnsByRows.get(result.rows);
  if (indexes) for (const index of indexes) result.columnTypes[index] = ColumnTypeEnum.Character;
  return result;
}

function toDriverAdapterError(error: unknown): unknown {
  if (error instanceof DriverAdapterError || !(error instanceof Error)) return error;
  const pgError = error as Error & {
    code?: string;
    severity?: string;
    detail?: string;
    column?: string;
    hint?: string;
  };
  if (typeof pgError.code !== 'string') return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: pgError.code,
    severity: pgError.severity ?? 'ERROR',
    message: pgError.message,
    detail: pgError.detail,
    column: pgError.column,
    hint: pgError.hint,
  });
}

function wrapTransaction(inner: Transaction): Transaction {
  const wrapped = Object.create(inner) as Transaction;
  Object.defineProperty(wrapped, 'queryRaw', {
    value: async (query: Parameters<Transaction['queryRaw']>[0]) => fixCharColumns(await inner.queryRaw(query)),
  });
  return wrapped;
}

async function connectAdapter(connectionString: string, onDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
  const pool = new pg.Pool({ connectionString, Client: CharAwareClient, max: 2 });
  pool.on('error', () => undefined); // an idle connection the server closed: dropped, not a crash
  const inner = await new PrismaPg(pool).connect();
  let disposed = false;
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: async (query) => fixCharColumns(await inner.queryRaw(query)),
    executeRaw: (query) => inner.executeRaw(query),
    executeScript: async (script) => {
      try {
        await pool.query(script);
      } catch (error) {
        throw toDriverAdapterError(error);
      }
    },
    startTransaction: async (isolationLevel) => wrapTransaction(await inner.startTransaction(isolationLevel)),
    getConnectionInfo: () => inner.getConnectionInfo?.() ?? { supportsRelationJoins: true },
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await inner.dispose();
      await pool.end();
      await onDispose?.();
    },
  };
}

/**
 * A factory whose main connection is `databaseUrl` and whose shadow databases
 * are created on the same server (the role needs CREATEDB).
 */
export function createMigrationAdapterFactory(databaseUrl: string): MigrationAdapterFactory {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    open.add(adapter);
    return adapter;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: async () => track(await connectAdapter(databaseUrl)),
    connectToShadowDb: async () => {
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await adminQuery(databaseUrl, `CREATE DATABASE "${name}"`);
      const drop = () => adminQuery(databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      try {
        return track(await connectAdapter(withDatabase(databaseUrl, name), drop));
      } catch (error) {
        await drop().catch(() => undefined);
        throw error;
      }
    },
  };
  return {
    factory,
    close: async () => {
      const adapters = [...open];
      open.clear();
      const results = await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}
