import type { RandomSource } from '@sqsref/sqs-transport';

/** A service process of the chaos system: which service, which replica. */
export interface Replica {
  service: 'order-service' | 'shipping-service';
  index: number;
}

/** One fault the chaos run injects on purpose. */
export type Fault =
  /** SIGKILL of one service process, then a restart. */
  | { kind: 'kill-service'; replica: Replica }
  /** The SQS emulator paused (SIGSTOP) for `pauseMs`, then killed and restarted with its data. */
  | { kind: 'restart-sqs'; pauseMs: number }
  /** `pg_terminate_backend` of every connection the services hold to one database. */
  | { kind: 'terminate-db-connections'; database: 'orders' | 'shipping' }
  /** Both databases stall for `ms`: every table locked by a transaction that holds the lock. */
  | { kind: 'stall-db'; ms: number }
  /** An event already sent, sent again by a foreign producer with a new deduplication id. */
  | { kind: 'foreign-duplicate'; pick: number }
  /** A message that no retry can fix (its payload breaks the contract): it must end in the DLQ, with the reason. */
  | { kind: 'poison-message' };

export type FaultKind = Fault['kind'];

/** A fault and when it strikes, in ms after the run started. */
export interface ScheduledFault {
  atMs: number;
  fault: Fault;
}

/** Every kind of fault, each at least once in a schedule. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'kill-service',
  'restart-sqs',
  'terminate-db-connections',
  'stall-db',
  'foreign-duplicate',
  'poison-message',
];

/** How often each kind is drawn for the faults beyond the first of each (weights, not probabilities). */
const WEIGHTS: Record<FaultKind, number> = {
  'kill-service': 4,
  'restart-sqs': 1,
  'terminate-db-connections': 2,
  'stall-db': 2,
  'foreign-duplicate': 4,
  'poison-message': 1,
};

export interface ScheduleOptions {
  /** Faults strike within [0, windowMs). */
  windowMs: number;
  /** One fault per this many ms on average (every kind at least once whatever the window). */
  meanGapMs: number;
  /** Replicas per service. */
  replicas: { 'order-service': number; 'shipping-service': number };
}

/**
 * The faults of a run, in time order, drawn from `random` only: the same seed gives the same schedule, so a failing
 * run replays with `CHAOS_SEED`. Each kind strikes at least once; the rest are drawn by weight.
 */
export function planFaults(random: RandomSource, options: ScheduleOptions): ScheduledFault[] {
  const count = Math.max(FAULT_KINDS.length, Math.round(options.windowMs / options.meanGapMs));
  const kinds = [...FAULT_KINDS];
  const total = Object.values(WEIGHTS).reduce((sum, weight) => sum + weight, 0);
  while (kinds.length < count) {
    let draw = random() * total;
    const kind = FAULT_KINDS.find((candidate) => (draw -= WEIGHTS[candidate]) < 0) ?? 'kill-service';
    kinds.push(kind);
  }
  // Leave the last tenth of the window quiet, so the last faults' effects still happen under load.
  const span = options.windowMs * 0.9;
  return kinds
    .map((kind) => ({ atMs: Math.floor(random() * span), fault: drawFault(kind, random, options) }))
    .sort((a, b) => a.atMs - b.atMs);
}

function drawFault(kind: FaultKind, random: RandomSource, options: ScheduleOptions): Fault {
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  switch (kind) {
    case 'kill-service': {
      const service = random() < 0.5 ? 'order-service' : 'shipping-service';
      return { kind, replica: { service, index: between(0, options.replicas[service] - 1) } };
    }
    case 'restart-sqs':
      return { kind, pauseMs: between(500, 3_000) };
    case 'terminate-db-connections':
      return { kind, database: random() < 0.5 ? 'orders' : 'shipping' };
    case 'stall-db':
      return { kind, ms: between(500, 4_000) };
    case 'foreign-duplicate':
      return { kind, pick: random() };
    case 'poison-message':
      return { kind };
  }
}

/** One line per fault, for the run's log. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'kill-service':
      return `SIGKILL ${fault.replica.service}#${fault.replica.index}, then restart`;
    case 'restart-sqs':
      return `SQS emulator paused ${fault.pauseMs} ms, then killed and restarted with its data`;
    case 'terminate-db-connections':
      return `pg_terminate_backend on the ${fault.database} database`;
    case 'stall-db':
      return `databases stalled ${fault.ms} ms`;
    case 'foreign-duplicate':
      return 'an event sent again by a foreign producer, new deduplication id';
    case 'poison-message':
      return 'a message that breaks the contract';
  }
}
