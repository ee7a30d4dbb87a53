import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { isProcessAlive } from './process-alive.js';

/** Options of {@link startDurableFauxqs}. */
export interface DurableFauxqsOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** The one address to listen on, e.g. `127.0.0.1`. */
  host: string;
  /** Directory of the emulator's SQLite file (`fauxqs.db`) and its lock (`fauxqs.pid`); created when missing. */
  dataDir: string;
}

export interface DurableFauxqs {
  /** The port it listens on. */
  port: number;
  /** Stops listening, then closes the database. */
  stop(): Promise<void>;
}

/** The emulator could not listen (port taken, address not on this machine). */
export class SqsEmulatorNotStartedError extends Error {
  readonly code = 'STACK_SQS_FAILED';
}

/** Another live process (an earlier `npm start`) keeps its queues in the same directory. */
export class SqsDataInUseError extends Error {
  readonly code = 'STACK_SQS_DATA_IN_USE';
}

/** The installed fauxqs is not built the way this module expects (its internals moved in a new version). */
export class FauxqsUnsupportedError extends Error {
  readonly code = 'STACK_FAUXQS_UNSUPPORTED';
}

/** What this module uses of fauxqs's persistence class (`dist/persistence.js`, not part of its public API). */
interface Persistence {
  /** Private in fauxqs's typings, a plain field at run time. */
  readonly db: DatabaseSync;
  loadSqsAndSns(sqsStore: object, snsStore: object): void;
  insertMessage(queueName: string, message: { messageId: string }): void;
  deleteMessage(messageId: string): void;
  updateMessageReady(messageId: string): void;
  close(): void;
}
type PersistenceClass = new (dataDir: string) => Persistence;
interface Persisted {
  persistence?: Persistence;
}
interface SqsStore extends Persisted {
  allQueues(): Iterable<Persisted>;
}

interface FauxqsParts {
  buildApp: (typeof import('fauxqs'))['buildApp'];
  SqsStore: new () => SqsStore;
  SnsStore: new () => Persisted;
  S3Store: new () => object;
  PersistenceManager: PersistenceClass;
}

/**
 * fauxqs with its queues and messages kept in SQLite under `dataDir`, listening on `host` only.
 *
 * It is assembled from fauxqs's own parts, as its `startFauxqs` does, for two reasons (fauxqs 2.4): `startFauxqs`
 * always listens on 0.0.0.0 (its `host` option only names queue URLs), and its persistence loses a message released
 * with `ChangeMessageVisibility(0)` (the write violates a NOT NULL column; the message leaves memory and is not put
 * back). Every change is written to SQLite before the request is answered, so whatever fauxqs acknowledged survives a
 * killed process; deletes are written at the end of the same tick, so a move to a DLQ is one write.
 */
export async function startDurableFauxqs(options: DurableFauxqsOptions): Promise<DurableFauxqs> {
  const parts = await loadFauxqsParts();
  await mkdir(options.dataDir, { recursive: true });
  const releaseLock = await lock(join(options.dataDir, 'fauxqs.pid'));
  const persistence = new (durable(parts.PersistenceManager))(options.dataDir);
  const sqsStore = new parts.SqsStore();
  const snsStore = new parts.SnsStore();
  // As startFauxqs: load first, then wire persistence in, so that loading writes nothing back.
  persistence.loadSqsAndSns(sqsStore, snsStore);
  sqsStore.persistence = persistence;
  snsStore.persistence = persistence;
  for (const queue of sqsStore.allQueues()) queue.persistence = persistence;
  const app = parts.buildApp({
    logger: false,
    stores: { sqsStore, snsStore, s3Store: new parts.S3Store() } as unknown as NonNullable<
      Parameters<FauxqsParts['buildApp']>[0]
    >['stores'],
  });
  app.addHook('onClose', async () => {
    persistence.close();
    await releaseLock();
  });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close();
    throw new SqsEmulatorNotStartedError(
      `Could not start the SQS emulator on ${options.host}:${options.port} (${String(error)}). Is the port free (set SQS_PORT)? Is ${options.host} an address of this machine (STACK_BIND_HOST)?`,
      { cause: error },
    );
  }
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    stop: () => app.close(),
  };
}

/** fauxqs's persistence, with the release fixed and deletes written at the end of the tick (see above). */
function durable(Base: PersistenceClass): PersistenceClass {
  return class DurablePersistence extends Base {
    private release: StatementSync | undefined;
    private readonly pendingDeletes = new Set<string>();

    override updateMessageReady(messageId: string): void {
      this.release ??= this.db.prepare(
        'UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?',
      );
      this.release.run(messageId);
    }

    // fauxqs moves a message to its DLQ as "delete here, insert there"; the insert replaces the row by message id,
    // so dropping the delete makes the move one write. Deferred deletes run before the request's answer is sent
    // (the answer waits for at least one later microtask).
    override deleteMessage(messageId: string): void {
      if (this.pendingDeletes.size === 0) queueMicrotask(() => this.flushDeletes());
      this.pendingDeletes.add(messageId);
    }

    override insertMessage(queueName: string, message: { messageId: string }): void {
      this.pendingDeletes.delete(message.messageId);
      super.insertMessage(queueName, message);
    }

    override close(): void {
      this.flushDeletes();
      super.close();
    }

    private flushDeletes(): void {
      for (const messageId of this.pendingDeletes) super.deleteMessage(messageId);
      this.pendingDeletes.clear();
    }
  };
}

async function loadFauxqsParts(): Promise<FauxqsParts> {
  const fauxqs = await import('fauxqs');
  const entry = import.meta.resolve('fauxqs');
  const load = async <T>(path: string, name: string): Promise<T> => {
    const module = (await import(new URL(path, entry).href).catch(() => ({}))) as Record<string, unknown>;
    if (typeof module[name] !== 'function') {
      throw new FauxqsUnsupportedError(
        `The installed fauxqs has no ${name} in ${path}; packages/dev-stack/src/durable-fauxqs.ts was written for fauxqs 2.4. Install the version in package-lock.json (npm ci).`,
      );
    }
    return module[name] as T;
  };
  return {
    buildApp: fauxqs.buildApp,
    SqsStore: await load('./sqs/sqsStore.js', 'SqsStore'),
    SnsStore: await load('./sns/snsStore.js', 'SnsStore'),
    S3Store: await load('./s3/s3Store.js', 'S3Store'),
    PersistenceManager: await load('./persistence.js', 'PersistenceManager'),
  };
}

/** Writes this process's id into `file`, unless a live process holds it; returns the release. */
async function lock(file: string): Promise<() => Promise<void>> {
  const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (holder !== process.pid && isProcessAlive(holder)) {
    throw new SqsDataInUseError(
      `Another process (pid ${holder}, probably an earlier "npm start") keeps its queues in ${file.replace(/\/fauxqs\.pid$/, '')}. Stop it, or give this stack its own STACK_DATA_DIR.`,
    );
  }
  await writeFile(file, `${process.pid}\n`);
  return async () => {
    const current = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (current === process.pid) await rm(file, { force: true });
  };
}
