import { groupBy } from '@sqsref/sqs-transport/common';
import type { Receive, RedriveExplanation, TimedFault } from './receive-history.js';
import { explainRedrive } from './receive-history.js';

/** What the audit reads from the databases and the queues at the end of a chaos run. */
export interface AuditInput {
  /** Order ids the HTTP API accepted (201), each under its own Idempotency-Key. */
  accepted: ReadonlySet<string>;
  /** The run's orders, as the order database has them. */
  orders: ReadonlyArray<{ id: string; status: string }>;
  /** The order database's history rows, in `seq` order. */
  history: ReadonlyArray<{ orderId: string; eventId: string; type: string }>;
  /**
   * Events emitted to the queue of the other service (the outboxes' rows for `order-events.fifo` and
   * `shipment-events.fifo`), each outbox (`source`) in `seq` order; `groupId` is the order id. Order holds within a
   * source: the two services emit concurrently.
   */
  emitted: ReadonlyArray<{ source: string; groupId: string; eventId: string; type: string }>;
  /** The shipping database's shipments. */
  shipments: ReadonlyArray<{ id: string; orderId: string; status: string; trackingNumber: string | null }>;
  /** The simulated carrier's ledger (`carrier_labels`): one row per label sold, by idempotency key (shipment id). */
  labels: ReadonlyArray<{ key: string; trackingNumber: string }>;
  /** Outbox rows not sent, per database and status (pending or parked). */
  unsentOutbox: ReadonlyArray<{ database: string; status: string; rows: number }>;
  /**
   * Every message found in a DLQ: its queue, its SQS message id (a redrive keeps it), its envelope id when it has
   * one, the reason's code (none when the queue's redrive policy moved it), and its source queue's `maxReceiveCount`.
   */
  deadLetters: ReadonlyArray<{
    queue: string;
    messageId: string;
    eventId: string | undefined;
    code: string | undefined;
    maxReceiveCount: number;
  }>;
  /** Envelope ids of the messages the run made to be dead-lettered (poison messages). */
  injectedDeadLetters: ReadonlySet<string>;
  /** Every receive of every message, and what ended it, from the services' logs. */
  receives: readonly Receive[];
  /** The faults that can use up receives (kills, emulator restarts, database faults), as they struck. */
  faults: readonly TimedFault[];
}

/** The promises the audit checks, one rule each. */
export const AUDIT_RULES = {
  final: 'every accepted order reached a final state, and each Idempotency-Key made one order',
  shipments: 'exactly one shipment per order, in the state its order ended in',
  labels: 'one carrier label per shipment, the one the shipment dispatched with',
  history: "each order's history holds every event once, in the order it was emitted",
  outbox: 'no outbox row is pending or parked',
  deadLetters: 'every DLQ message is explained by a fault injected on purpose',
} as const;

export type AuditRule = keyof typeof AUDIT_RULES;

const FINAL_SHIPMENT_STATUS: Record<string, string> = { SHIPPED: 'DISPATCHED', CANCELLED: 'CANCELLED' };

/** Checks every rule of {@link AUDIT_RULES}; returns the problems found under each (empty lists when all hold). */
export function audit(input: AuditInput): Record<AuditRule, string[]> {
  return {
    final: auditFinal(input),
    shipments: auditShipments(input),
    labels: auditLabels(input),
    history: auditHistory(input),
    outbox: input.unsentOutbox
      .filter((row) => row.rows > 0)
      .map((row) => `${row.rows} outbox row(s) ${row.status} in the ${row.database} database`),
    deadLetters: auditDeadLetters(input),
  };
}

function auditFinal({ accepted, orders }: AuditInput): string[] {
  const problems: string[] = [];
  const stored = new Set(orders.map((order) => order.id));
  for (const id of accepted) if (!stored.has(id)) problems.push(`order ${id} was accepted but is not stored`);
  for (const order of orders) {
    if (!accepted.has(order.id)) problems.push(`order ${order.id} is stored but no request was answered with it`);
    if (!(order.status in FINAL_SHIPMENT_STATUS)) problems.push(`order ${order.id} ended ${order.status}`);
  }
  return problems;
}

function auditShipments({ orders, shipments }: AuditInput): string[] {
  const problems: string[] = [];
  const byOrder = groupBy(shipments, (shipment) => shipment.orderId);
  for (const order of orders) {
    const found = byOrder.get(order.id) ?? [];
    if (found.length !== 1) problems.push(`order ${order.id} has ${found.length} shipments`);
    const expected = FINAL_SHIPMENT_STATUS[order.status];
    for (const shipment of found) {
      if (expected !== undefined && shipment.status !== expected) {
        problems.push(`order ${order.id} ended ${order.status}, its shipment ${shipment.id} ${shipment.status}`);
      }
    }
  }
  const orderIds = new Set(orders.map((order) => order.id));
  for (const shipment of shipments) {
    if (!orderIds.has(shipment.orderId))
      problems.push(`shipment ${shipment.id} is for unknown order ${shipment.orderId}`);
  }
  return problems;
}

function auditLabels({ shipments, labels }: AuditInput): string[] {
  const problems: string[] = [];
  const byShipment = groupBy(labels, (label) => label.key);
  for (const [key, sold] of byShipment) if (sold.length > 1) problems.push(`shipment ${key} has ${sold.length} labels`);
  const shipmentIds = new Set(shipments.map((shipment) => shipment.id));
  for (const key of byShipment.keys()) if (!shipmentIds.has(key)) problems.push(`a label was sold for unknown ${key}`);
  for (const shipment of shipments) {
    if (shipment.status !== 'DISPATCHED') continue;
    const [label] = byShipment.get(shipment.id) ?? [];
    if (!label) problems.push(`shipment ${shipment.id} was dispatched without a label`);
    else if (label.trackingNumber !== shipment.trackingNumber) {
      problems.push(
        `shipment ${shipment.id} dispatched as ${shipment.trackingNumber}, the label sold is ${label.trackingNumber}`,
      );
    }
  }
  return problems;
}

function auditHistory({ orders, history, emitted }: AuditInput): string[] {
  const problems: string[] = [];
  const recorded = groupBy(history, (entry) => entry.orderId);
  const sent = groupBy(emitted, (event) => event.groupId);
  for (const order of orders) {
    const entries = recorded.get(order.id) ?? [];
    const events = sent.get(order.id) ?? [];
    const emittedBy = new Map(events.map((event) => [event.eventId, event.source]));
    const position = new Map<string, number>();
    for (const source of new Set(events.map((event) => event.source))) {
      events.filter((event) => event.source === source).forEach((event, index) => position.set(event.eventId, index));
    }
    const seen = new Set<string>();
    const last = new Map<string, number>();
    for (const entry of entries) {
      const at = position.get(entry.eventId);
      const source = emittedBy.get(entry.eventId) ?? '';
      if (seen.has(entry.eventId)) problems.push(`order ${order.id}: ${entry.type} ${entry.eventId} recorded twice`);
      seen.add(entry.eventId);
      if (at === undefined) problems.push(`order ${order.id}: ${entry.type} ${entry.eventId} was never emitted`);
      else if (at < (last.get(source) ?? -1)) {
        problems.push(`order ${order.id}: ${entry.type} ${entry.eventId} recorded out of emission order`);
      } else last.set(source, at);
    }
    for (const event of events) {
      if (!seen.has(event.eventId))
        problems.push(`order ${order.id}: ${event.type} ${event.eventId} missing from its history`);
    }
  }
  return problems;
}

/** Why each message moved to a DLQ by the redrive policy got there (kept for the run's report). */
export function redriveExplanations({
  deadLetters,
  receives,
  faults,
}: Pick<AuditInput, 'deadLetters' | 'receives' | 'faults'>): Map<string, RedriveExplanation> {
  const explanations = new Map<string, RedriveExplanation>();
  for (const letter of deadLetters) {
    if (letter.code !== undefined) continue;
    explanations.set(letter.messageId, explainRedrive(letter.messageId, receives, faults, letter.maxReceiveCount));
  }
  return explanations;
}

/**
 * A poison message is explained by being sent; a message redriven after `maxReceiveCount` receives only when faults
 * used up at least that many of its receives (see {@link explainRedrive}); any other DLQ message is not.
 */
function auditDeadLetters(input: AuditInput): string[] {
  const { deadLetters, injectedDeadLetters } = input;
  const problems: string[] = [];
  const found = new Set<string>();
  const redriven = redriveExplanations(input);
  for (const letter of deadLetters) {
    const what = `${letter.queue} holds ${letter.eventId ?? 'a message without envelope'} (message ${letter.messageId})`;
    if (letter.eventId !== undefined && injectedDeadLetters.has(letter.eventId)) found.add(letter.eventId);
    else if (letter.code !== undefined) {
      problems.push(`${what} with reason ${letter.code}, which no injected fault explains`);
    } else {
      const explanation = redriven.get(letter.messageId);
      if (!explanation?.explained) {
        problems.push(
          `${what}, redriven after ${letter.maxReceiveCount} receives of which faults used only ` +
            `${explanation?.faults.length ?? 0}; its receives: ${explanation?.history.join(' | ') || 'none logged'}`,
        );
      }
    }
  }
  for (const id of injectedDeadLetters) if (!found.has(id)) problems.push(`poison message ${id} is not in a DLQ`);
  return problems;
}
