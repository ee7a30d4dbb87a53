import type { SQSClient } from '@aws-sdk/client-sqs';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorCode, errorMessage } from '../errors.js';
import { parseQueueDefinitions, type QueueDefinitions } from '../queue-definitions.js';
import { createSqsClient } from '../sqs-client.js';
import type { DeadLetterMessage, DeadLetterQueue, RedriveMethod } from '../dlq/index.js';
import {
  classifySqsError,
  findDeadLetterQueues,
  NoSuchMessageError,
  peekDeadLetters,
  redrive,
  summarizeDeadLetterQueue,
} from '../dlq/index.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli-io.js';

export const DLQ_USAGE = `Usage: sqs-dlq <command> [options]

Commands:
  list      every DLQ of the queue definitions (or --queue): depth and age of the oldest message
  show      a DLQ's messages: reason (error code, message, source queue, receive count), envelope type and id, body
  redrive   send messages back to their source queue: --all, or selected with --id / --type / --error-code
  outbox    parked outbox rows: run it through \`npm run dlq -- outbox\` (served by @sqsref/sqs-prisma)

Options:
  --queue <name|url>   one DLQ (or the queue whose DLQ is meant); default: every DLQ of the definitions
  --queues <file>      queue definitions (default: ./infra/queues.json)
  --endpoint <url>     SQS endpoint (default: $AWS_ENDPOINT_URL_SQS, then $AWS_ENDPOINT_URL, else AWS)
  --region <region>    default: $AWS_REGION, then $AWS_DEFAULT_REGION, else us-east-1
  --json               machine-readable output (list, show, redrive)
  --limit <n>          show: most messages to look at (default 100); redrive: most messages to send back
  redrive only:
  --all                every message (required when no selection is given)
  --id <id>            SQS message id or envelope id (repeatable)
  --type <type>        envelope type (repeatable)
  --error-code <code>  reason code, or REDRIVE_POLICY for messages SQS moved (repeatable)
  --dry-run            print what would be sent, send nothing
  --method <m>         auto (default) | loop | move-task (SQS's StartMessageMoveTask)
  --hold <seconds>     how long a message received but not sent stays hidden if the run dies (5-43200, default 60)

Exit codes: 0 done, 1 failure (printed as one line: error [CODE]: ...), 2 bad arguments.`;

const COMMANDS = new Set(['list', 'show', 'redrive']);
const METHODS = new Set<string>(['auto', 'loop', 'move-task']);

/** Bad arguments: printed with a pointer to --help, exit 2. */
class UsageError extends Error {}

/** What the caller may add: an SQS client instead of one built from the options (tests); a signal that stops a redrive. */
export interface DlqCliOptions {
  client?: SQSClient;
  /** Stops a redrive between two messages (the bin aborts it on SIGINT and SIGTERM); exit 1. */
  signal?: AbortSignal;
}

/** The `sqs-dlq` command; returns the exit code. */
export async function runDlqCli(argv: readonly string[], io: CliIo, options: DlqCliOptions = {}): Promise<number> {
  const { client, signal } = options;
  let parsed;
  try {
    parsed = parseCommandLine(argv, io);
  } catch (error) {
    io.stderr(`error [USAGE]: ${oneLine(messageOf(error))} (see --help)`);
    return EXIT_USAGE;
  }
  if (parsed === 'help') {
    io.stdout(DLQ_USAGE);
    return EXIT_OK;
  }
  const endpoint = parsed.endpoint ?? io.env.AWS_ENDPOINT_URL_SQS ?? io.env.AWS_ENDPOINT_URL;
  const endpointLabel = endpoint || 'AWS';
  let sqs: SQSClient;
  try {
    sqs =
      client ??
      createSqsClient(
        { ...(endpoint ? { endpoint } : {}), ...(parsed.region ? { region: parsed.region } : {}) },
        io.env,
      );
  } catch (error) {
    io.stderr(`error [USAGE]: ${oneLine(errorMessage(error))}`);
    return EXIT_USAGE;
  }
  try {
    const queues = await findDeadLetterQueues(sqs, {
      ...(parsed.definitions ? { definitions: parsed.definitions } : {}),
      ...(parsed.queue ? { queue: parsed.queue } : {}),
    });
    switch (parsed.command) {
      case 'list':
        return await list(sqs, queues, parsed, io);
      case 'show':
        return await show(sqs, queues, parsed, io);
      default:
        return await redriveQueues(sqs, queues, parsed, io, signal);
    }
  } catch (error) {
    const failure = classifySqsError(error, {
      endpoint: endpointLabel,
      ...(parsed.queue ? { queue: parsed.queue } : {}),
    });
    io.stderr(`error [${errorCode(failure)}]: ${oneLine(errorMessage(failure))}`);
    return EXIT_FAILED;
  } finally {
    if (!client) sqs.destroy();
  }
}

interface Parsed {
  command: 'list' | 'show' | 'redrive';
  queue: string | undefined;
  definitions: QueueDefinitions | undefined;
  endpoint: string | undefined;
  region: string | undefined;
  json: boolean;
  limit: number | undefined;
  all: boolean;
  ids: string[];
  types: string[];
  errorCodes: string[];
  dryRun: boolean;
  method: RedriveMethod;
  holdSeconds: number | undefined;
}

function parseCommandLine(argv: readonly string[], io: CliIo): Parsed | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      queue: { type: 'string' },
      queues: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
      all: { type: 'boolean' },
      id: { type: 'string', multiple: true },
      type: { type: 'string', multiple: true },
      'error-code': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      hold: { type: 'string' },
      method: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help || positionals[0] === 'help') return 'help';
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError('no command given: list, show or redrive');
  if (command === 'outbox') {
    throw new UsageError(
      '"outbox" is served by @sqsref/sqs-prisma: run `npm run dlq -- outbox` from the repository root',
    );
  }
  if (!COMMANDS.has(command)) throw new UsageError(`unknown command "${command}": use list, show or redrive`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const ids = values.id ?? [];
  const types = values.type ?? [];
  const errorCodes = values['error-code'] ?? [];
  const selects = ids.length + types.length + errorCodes.length > 0;
  if (command !== 'redrive' && (selects || values.all || values['dry-run'] || values.method || values.hold)) {
    throw new UsageError('--all, --id, --type, --error-code, --dry-run, --method and --hold are options of redrive');
  }
  if (command === 'redrive' && !selects && !values.all) {
    throw new UsageError('redrive needs --all, or a selection with --id, --type or --error-code');
  }
  if (command === 'redrive' && selects && values.all) throw new UsageError('--all and a selection exclude each other');
  const method = values.method ?? 'auto';
  if (!METHODS.has(method)) throw new UsageError(`--method must be auto, loop or move-task (received "${method}")`);
  let limit: number | undefined;
  if (values.limit !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(values.limit)) {
      throw new UsageError(`--limit must be an integer from 1 to 999999999 (received "${values.limit}")`);
    }
    limit = Number(values.limit);
  }
  let holdSeconds: number | undefined;
  if (values.hold !== undefined) {
    holdSeconds = Number(values.hold);
    if (!/^\d+$/.test(values.hold) || holdSeconds < 5 || holdSeconds > 43_200) {
      throw new UsageError(`--hold must be an integer from 5 to 43200 seconds (received "${values.hold}")`);
    }
  }
  for (const [name, value] of [
    ['--endpoint', values.endpoint],
    ['--queue', values.queue],
  ] as const) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`${name} must not be empty`);
  }
  const definitions = readDefinitions(values.queues, io);
  if (!definitions && values.queue === undefined) {
    throw new UsageError('no queue definitions (./infra/queues.json): pass --queues <file> or --queue <name>');
  }
  return {
    command: command as Parsed['command'],
    queue: values.queue,
    definitions,
    endpoint: values.endpoint,
    region: values.region,
    json: values.json === true,
    limit,
    all: values.all === true,
    ids,
    types,
    errorCodes,
    dryRun: values['dry-run'] === true,
    method: method as RedriveMethod,
    holdSeconds,
  };
}

function readDefinitions(path: string | undefined, io: CliIo): QueueDefinitions | undefined {
  const file = resolve(io.cwd, path ?? 'infra/queues.json');
  if (!existsSync(file)) {
    if (path !== undefined) throw new UsageError(`--queues: no file ${file}`);
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${errorMessage(error)})`);
  }
  try {
    return parseQueueDefinitions(raw);
  } catch (error) {
    throw new UsageError(`${file}: ${errorMessage(error)}`);
  }
}

async function list(sqs: SQSClient, queues: readonly DeadLetterQueue[], parsed: Parsed, io: CliIo): Promise<number> {
  const summaries = [];
  for (const queue of queues) summaries.push(await summarizeDeadLetterQueue(sqs, queue, { max: parsed.limit ?? 100 }));
  const now = Date.now();
  if (parsed.json) {
    io.stdout(
      JSON.stringify(
        summaries.map((summary) => ({
          name: summary.queue.name,
          url: summary.queue.url,
          source: summary.queue.source?.name ?? null,
          ...summary.depth,
          oldestSentAt: summary.oldestSentAt?.toISOString() ?? null,
          oldestAgeSeconds: summary.oldestSentAt ? Math.round((now - summary.oldestSentAt.getTime()) / 1000) : null,
        })),
        null,
        2,
      ),
    );
    return EXIT_OK;
  }
  const rows = summaries.map((summary) => [
    summary.queue.name,
    String(summary.depth.visible),
    String(summary.depth.inFlight),
    summary.oldestSentAt ? age(now - summary.oldestSentAt.getTime()) : '-',
    summary.queue.source?.name ?? '-',
  ]);
  io.stdout(table([['DLQ', 'MESSAGES', 'IN FLIGHT', 'OLDEST', 'SOURCE'], ...rows]));
  return EXIT_OK;
}

async function show(sqs: SQSClient, queues: readonly DeadLetterQueue[], parsed: Parsed, io: CliIo): Promise<number> {
  const shown: { queue: string; messages: DeadLetterMessage[] }[] = [];
  for (const queue of queues) {
    shown.push({ queue: queue.name, messages: await peekDeadLetters(sqs, queue.url, { max: parsed.limit ?? 100 }) });
  }
  if (parsed.json) {
    io.stdout(JSON.stringify(shown.length === 1 ? shown[0] : shown, null, 2));
    return EXIT_OK;
  }
  for (const { queue, messages } of shown) {
    io.stdout(
      `${queue}: ${messages.length} message${messages.length === 1 ? '' : 's'}${queue.endsWith('.fifo') && messages.length > 0 ? ' (FIFO: the first of each group; SQS has no peek)' : ''}`,
    );
    for (const message of messages) io.stdout(describe(message));
  }
  return EXIT_OK;
}

async function redriveQueues(
  sqs: SQSClient,
  queues: readonly DeadLetterQueue[],
  parsed: Parsed,
  io: CliIo,
  signal: AbortSignal | undefined,
): Promise<number> {
  const select = { ids: parsed.ids, types: parsed.types, errorCodes: parsed.errorCodes };
  const notFound = new Map(parsed.ids.map((id) => [id, true]));
  const reports = [];
  let failures = 0;
  for (const queue of queues) {
    if (signal?.aborted) break;
    const report = await redrive(sqs, {
      queue,
      select,
      dryRun: parsed.dryRun,
      method: parsed.method,
      ...(parsed.limit !== undefined ? { limit: parsed.limit } : {}),
      ...(parsed.holdSeconds !== undefined ? { holdSeconds: parsed.holdSeconds } : {}),
      ...(signal ? { signal } : {}),
      onMoved: (moved) => {
        if (!parsed.json) io.stdout(`moved ${label(moved.message)} -> ${moved.targetQueueUrl}`);
      },
    });
    reports.push({ queue: queue.name, report });
    for (const id of parsed.ids) if (!report.notFound.includes(id)) notFound.delete(id);
    for (const failure of report.failed) {
      failures += 1;
      io.stderr(
        `error [${errorCode(failure.error)}]: ${queue.name} ${failure.messageId}: ${oneLine(failure.error.message)}`,
      );
    }
    if (!parsed.json) {
      if (report.method === 'move-task') {
        io.stdout(
          `${queue.name}: StartMessageMoveTask started (task ${report.moveTask?.taskHandle ?? '?'}); SQS moves the messages`,
        );
      } else if (report.dryRun) {
        for (const planned of report.moved)
          io.stdout(`would move ${label(planned.message)} -> ${planned.targetQueueUrl}`);
        io.stdout(`${queue.name}: would move ${report.moved.length}, keep ${report.kept} (dry run: nothing sent)`);
      } else {
        io.stdout(`${queue.name}: moved ${report.moved.length}, kept ${report.kept}, failed ${report.failed.length}`);
      }
    }
  }
  if (parsed.json) {
    io.stdout(
      JSON.stringify(
        reports.map(({ queue, report }) => ({
          queue,
          method: report.method,
          dryRun: report.dryRun,
          moved: report.moved.map((moved) => ({
            ...moved.message,
            targetQueueUrl: moved.targetQueueUrl,
            deduplicationId: moved.deduplicationId,
          })),
          kept: report.kept,
          failed: report.failed.map((failure) => ({
            messageId: failure.messageId,
            code: errorCode(failure.error),
            message: failure.error.message,
            sent: failure.sent,
          })),
          notFound: report.notFound,
          moveTask: report.moveTask ?? null,
        })),
        null,
        2,
      ),
    );
  }
  if (signal?.aborted) {
    io.stderr('error [INTERRUPTED]: the redrive was stopped; what it had not sent is still in the DLQ. Run it again.');
    return EXIT_FAILED;
  }
  if (notFound.size > 0) {
    const error = new NoSuchMessageError([...notFound.keys()], queues.map((queue) => queue.name).join(', '));
    io.stderr(`error [${error.code}]: ${error.message}`);
    return EXIT_FAILED;
  }
  return failures > 0 ? EXIT_FAILED : EXIT_OK;
}

function label(message: DeadLetterMessage): string {
  return `${message.messageId}${message.envelope ? ` (${message.envelope.type} ${message.envelope.id})` : ''}`;
}

function describe(message: DeadLetterMessage): string {
  const reason = message.reason
    ? `${message.reason.errorCode}: ${message.reason.errorMessage} (from ${message.reason.sourceQueueUrl}, receive count ${message.reason.receiveCount ?? '?'})`
    : 'moved by the redrive policy (retries exhausted)';
  const body = message.body.length > 500 ? `${message.body.slice(0, 499)}…` : message.body;
  return [
    `- ${label(message)}${message.groupId !== undefined ? ` group=${message.groupId}` : ''}${message.sentAt ? ` sent=${message.sentAt.toISOString()}` : ''}`,
    `  reason: ${oneLine(reason)}`,
    `  body: ${oneLine(body)}`,
  ].join('\n');
}

function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d${Math.floor((seconds % 86_400) / 3600)}h`;
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The error's message; also for errors of another realm (node:util's parseArgs under a test runner's VM). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : errorMessage(error);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
