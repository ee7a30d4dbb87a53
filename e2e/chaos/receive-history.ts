import type { LogRecord } from '../support/service-process.js';

/**
 * A fault as it struck, with wall-clock times (ms since the epoch), recorded by the fault injector: which receives
 * of a message it used up is read from these times and the services' logs.
 */
export type TimedFault =
  /** SIGKILL of one service process (`process` as `order-service#0`), sent at `at`. */
  | { kind: 'kill'; process: string; at: number }
  /** The SQS emulator paused at `from`, then killed, and serving again at `to`. */
  | { kind: 'sqs-restart'; from: number; to: number }
  /** `pg_terminate_backend` (`from` = `to`) or a stall of the databases, from `from` to `to`. */
  | { kind: 'database'; what: string; from: number; to: number };

/** One delivery of a message to a service process, and what ended it, from that process's log. */
export interface Receive {
  messageId: string;
  /** The process that received it, e.g. `shipping-service#1`. */
  process: string;
  receiveCount: number;
  /** When it was received (ms since the epoch). */
  at: number;
  /** The outcome line that ended it (`processed`, `duplicate`, `retry`, `dead_letter`); none when the process died first. */
  outcome?: { kind: string; at: number; errorCode?: string };
}

/** Error codes of the failures the chaos run injects inside the services (handler faults, carrier failures, slow-label lease loss). */
export const INJECTED_FAILURE_CODES: ReadonlySet<string> = new Set([
  'FAULT_INJECTED',
  'CARRIER_UNAVAILABLE',
  'CARRIER_CALL_ABORTED',
]);
/**
 * Error codes of a database that is away or too slow (ours, and Prisma's `Pxxxx`, e.g. P2039 for a statement
 * cancelled by its timeout): such a failure used a receive because of a fault only when a database fault struck
 * while the message was handled.
 */
function isDatabaseFailure(code: string): boolean {
  return code === 'DATABASE_UNAVAILABLE' || code === 'DEPENDENCY_TIMEOUT' || /^P\d{4}$/.test(code);
}

/**
 * Every receive found in the logs of each process (`process` name → its records, every start appended): the
 * consumer's `message received` line (debug) and its one outcome line per handled message. An outcome without a
 * receipt line still counts as a receive.
 */
export function receivesFromLogs(logs: ReadonlyMap<string, readonly LogRecord[]>): Receive[] {
  const receives: Receive[] = [];
  for (const [process, records] of logs) {
    const open = new Map<string, Receive>();
    for (const record of records) {
      if (record.component !== 'sqs-consumer') continue;
      const { messageId, receiveCount } = record;
      const at = Date.parse(String(record.time));
      if (typeof messageId !== 'string' || typeof receiveCount !== 'number' || Number.isNaN(at)) continue;
      const key = `${messageId}/${receiveCount}`;
      if (record.msg === 'message received') {
        const receive: Receive = { messageId, process, receiveCount, at };
        open.set(key, receive);
        receives.push(receive);
      } else if (typeof record.outcome === 'string' && record.outcome !== 'held') {
        let receive = open.get(key);
        if (!receive) {
          receive = { messageId, process, receiveCount, at: at - Number(record.durationMs ?? 0) };
          open.set(key, receive);
          receives.push(receive);
        }
        const errorCode = typeof record.errorCode === 'string' ? record.errorCode : undefined;
        receive.outcome = { kind: record.outcome, at, ...(errorCode ? { errorCode } : {}) };
      }
    }
  }
  return receives.sort((a, b) => a.at - b.at);
}

/**
 * The fault that used up `receive` (which ended when the next receive of the message began, `nextAt`), or
 * undefined when none did:
 * - it failed by an injected failure (handler fault, carrier failure, slow label job that lost its lease);
 * - it failed because its database was away while a database fault was injected;
 * - it ended without an outcome line (or its delete was lost after one) because its process was SIGKILLed meanwhile;
 * - the emulator was down while it was held (heartbeat or delete lost; for a failure, before the failure).
 */
export function faultThatUsed(receive: Receive, nextAt: number, faults: readonly TimedFault[]): string | undefined {
  const { outcome } = receive;
  const handled = outcome?.kind === 'processed' || outcome?.kind === 'duplicate';
  if (outcome?.kind === 'retry' && outcome.errorCode !== undefined) {
    if (INJECTED_FAILURE_CODES.has(outcome.errorCode)) return `failed on purpose (${outcome.errorCode})`;
    if (isDatabaseFailure(outcome.errorCode)) {
      const fault = faults.find((f) => f.kind === 'database' && f.from <= outcome.at && f.to >= receive.at);
      if (fault?.kind === 'database') return `${outcome.errorCode} during ${fault.what} at ${iso(fault.from)}`;
    }
  }
  for (const fault of faults) {
    if (fault.kind === 'kill' && fault.process === receive.process) {
      if (!outcome && fault.at >= receive.at && fault.at <= nextAt)
        return `${fault.process} SIGKILLed at ${iso(fault.at)} while holding it`;
      if (handled && fault.at >= outcome.at && fault.at <= nextAt)
        return `${fault.process} SIGKILLed at ${iso(fault.at)} before its delete was sent`;
    }
    // A failure ends the receive at its outcome; otherwise it lasts until the message comes back.
    const end = outcome && !handled ? outcome.at : nextAt;
    if (fault.kind === 'sqs-restart' && fault.from <= end && fault.to >= receive.at)
      return `emulator down ${iso(fault.from)} to ${iso(fault.to)} while it was held`;
  }
  return undefined;
}

/** Why a message reached a DLQ by the redrive policy, receive by receive. */
export interface RedriveExplanation {
  /** True when faults used at least `maxReceiveCount` of its receives. */
  explained: boolean;
  /** The faults that used its receives, one per receive used. */
  faults: string[];
  /** Each receive and what ended it, for the audit's report. */
  history: string[];
}

/** Explains (or not) a message moved to its DLQ after more than `maxReceiveCount` receives. */
export function explainRedrive(
  messageId: string,
  receives: readonly Receive[],
  faults: readonly TimedFault[],
  maxReceiveCount: number,
): RedriveExplanation {
  const own = receives.filter((receive) => receive.messageId === messageId).sort((a, b) => a.at - b.at);
  const used: string[] = [];
  const history = own.map((receive, index) => {
    const fault = faultThatUsed(receive, own[index + 1]?.at ?? Number.POSITIVE_INFINITY, faults);
    if (fault) used.push(`receive ${receive.receiveCount}: ${fault}`);
    const ended = receive.outcome
      ? `${receive.outcome.kind}${receive.outcome.errorCode ? ` ${receive.outcome.errorCode}` : ''} at ${iso(receive.outcome.at)}`
      : 'no outcome';
    return `#${receive.receiveCount} ${receive.process} ${iso(receive.at)}: ${ended}; ${fault ? `used by: ${fault}` : 'no fault'}`;
  });
  return { explained: used.length >= maxReceiveCount, faults: used, history };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}
