import pg from 'pg';
import { parseArgs } from 'node:util';
import { listParkedOutboxRows, requeueParkedOutboxRows, type ParkedOutboxRow } from '../parked-outbox.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io.js';
import { errorMessage } from '../errors.js';

export const OUTBOX_USAGE = `Usage: sqs-prisma-outbox [--database <name>=<url>]... [--retry [--id <id>]...] [--limit <n>] [--json]
       (from the repository root: npm run dlq -- outbox ...)

Lists the parked outbox rows (sends the relay gave up on) of each service database; --retry makes them pending
again, so the relay sends them, and the rest of their message group behind them, in order.

  --database <name>=<url>  a service database (repeatable); default: DATABASE_URL as "default"
                           (npm run dlq adds order=$ORDER_DATABASE_URL and shipping=$SHIPPING_DATABASE_URL)
  --retry                  re-queue the parked rows (every one, or those given with --id)
  --id <id>                an outbox row id, the event id (repeatable; with --retry)
  --limit <n>              rows listed per database, 1 to 10000 (default 100)
  --json                   machine-readable output

Exit codes: 0 done, 1 failure (printed as one line: error [CODE]: ...), 2 bad arguments.`;

/** The sqs-prisma-outbox command; returns the exit code. */
export async function runOutboxCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv, io);
  } catch (error) {
    io.stderr(`error [USAGE]: ${messageOf(error)} (see --help)`);
    return EXIT_USAGE;
  }
  if (parsed === 'help') {
    io.stdout(OUTBOX_USAGE);
    return EXIT_OK;
  }
  const results: { database: string; parked: ParkedOutboxRow[]; requeued: string[] }[] = [];
  const missing = new Set(parsed.ids);
  for (const [name, url] of parsed.databases) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      const parked = await listParkedOutboxRows(client, { limit: parsed.limit });
      const requeued = parsed.retry
        ? await requeueParkedOutboxRows(client, parsed.ids.length > 0 ? { ids: parsed.ids } : {})
        : [];
      for (const id of requeued) missing.delete(id);
      results.push({ database: name, parked, requeued });
    } catch (error) {
      io.stderr(`error [${failureCode(error)}]: database "${name}": ${describeFailure(error)}`);
      return EXIT_FAILED;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (parsed.json) {
    io.stdout(JSON.stringify(results, null, 2));
  } else {
    for (const { database, parked, requeued } of results) {
      io.stdout(`${database}: ${parked.length} parked${parsed.retry ? `, ${requeued.length} re-queued` : ''}`);
      for (const row of parked) {
        io.stdout(
          `- ${row.id} ${row.type ?? '?'} -> ${row.queue}${row.groupId === null ? '' : ` group=${row.groupId}`} attempts=${row.attempts} created=${row.createdAt.toISOString()}\n  last error: ${(row.lastError ?? '').replace(/\s*\n\s*/g, ' ')}`,
        );
      }
    }
  }
  if (parsed.retry && missing.size > 0) {
    io.stderr(
      `error [NO_SUCH_ROW]: no parked outbox row ${[...missing].map((id) => `"${id}"`).join(', ')} in ${results.map((result) => result.database).join(', ')}.`,
    );
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

interface Parsed {
  databases: Map<string, string>;
  retry: boolean;
  ids: string[];
  limit: number;
  json: boolean;
}

function parse(argv: readonly string[], io: CliIo): Parsed | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      database: { type: 'string', multiple: true },
      retry: { type: 'boolean' },
      id: { type: 'string', multiple: true },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  const ids = values.id ?? [];
  if (ids.length > 0 && !values.retry) throw new Error('--id selects rows to re-queue: use it with --retry');
  const databases = new Map<string, string>();
  for (const entry of values.database ?? []) {
    const match = /^([\w.-]+)=(postgres(?:ql)?:\/\/\S+)$/.exec(entry);
    if (!match?.[1] || !match[2]) throw new Error(`--database must be <name>=postgres://... (received "${entry}")`);
    databases.set(match[1], match[2]);
  }
  if (databases.size === 0) {
    const fallback = io.env.DATABASE_URL;
    if (!fallback) throw new Error('no database: pass --database <name>=<url> or set DATABASE_URL');
    databases.set('default', fallback);
  }
  let limit = 100;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || limit < 1 || limit > 10_000) {
      throw new Error(`--limit must be an integer from 1 to 10000 (received "${values.limit}")`);
    }
  }
  return { databases, retry: values.retry === true, ids, limit, json: values.json === true };
}

function failureCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '42P01') return 'NO_OUTBOX_TABLE';
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return 'DATABASE_UNREACHABLE';
  return typeof code === 'string' ? code : 'DATABASE_FAILED';
}

function describeFailure(error: unknown): string {
  const code = failureCode(error);
  const detail = messageOf(error);
  if (code === 'NO_OUTBOX_TABLE') return `it has no sqs_outbox table (${detail}); apply the migrations first.`;
  if (code === 'DATABASE_UNREACHABLE') return `cannot connect (${detail}); is the service's PostgreSQL running?`;
  return detail;
}

/** The error's message on one line; also for errors of another realm (node:util's parseArgs under a test VM). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return (typeof message === 'string' ? message : errorMessage(error)).replace(/\s*\n\s*/g, ' ');
}
