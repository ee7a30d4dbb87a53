import type { RandomSource } from '@sqsref/sqs-transport';
import { delay } from '@sqsref/sqs-transport/common';
import { seededRandom } from '@sqsref/sqs-transport/testing';
import { newOrder } from '../support/stack.js';

/** What the load did, and what it saw that broke a promise of the API. */
export interface LoadResult {
  /** Order ids answered 201, one per Idempotency-Key. */
  accepted: Set<string>;
  /** Requests repeated under the same Idempotency-Key (on purpose, or after a failed attempt). */
  repeats: number;
  /** Attempts that failed (connection refused or reset, 5xx, timeout) and were retried. */
  failedAttempts: number;
  /** The failed attempts by replica and what they got: `order-service#0: 503 DATABASE_UNAVAILABLE`, ... */
  failures: Map<string, number>;
  cancellations: { accepted: number; refused: number };
  /** Broken promises: a key answered with two different orders, a request that never got an answer. */
  problems: string[];
}

export interface LoadOptions {
  seed: number;
  orders: number;
  /** Orders are started evenly over this window. */
  windowMs: number;
  /** The order service's replicas, read at each attempt (a restarted replica keeps its port). */
  endpoints: () => readonly string[];
  /** How long one order's requests may keep retrying before the load reports it lost. Default 300 s. */
  giveUpMs?: number;
}

/** How long one order's requests keep being retried before the load reports the order lost (default). */
const GIVE_UP_MS = 300_000;
/** Share of orders whose POST is sent twice at once, racing, under one key. */
const RACED = 0.15;
/** Share of orders cancelled, at a random moment in their first 3 s. */
const CANCELLED = 0.3;

/**
 * Drives the order API as clients do under failures: each order under its own Idempotency-Key, every failed attempt
 * repeated with the same key on a replica drawn at random, some requests sent twice at once, and cancellations (also
 * repeated). Every choice of an order comes from its own seeded sequence, so a seed replays the same load.
 */
export async function runOrderLoad(options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = {
    accepted: new Set(),
    repeats: 0,
    failedAttempts: 0,
    failures: new Map(),
    cancellations: { accepted: 0, refused: 0 },
    problems: [],
  };
  const started = Date.now();
  const gap = options.windowMs / options.orders;
  await Promise.all(
    Array.from({ length: options.orders }, async (_, index) => {
      await delay(index * gap - (Date.now() - started));
      await driveOrder(index, options, result);
    }),
  );
  return result;
}

/** An order's choices, all drawn before it starts, so the seed replays them whatever the timing. */
interface OrderPlan {
  raced: boolean;
  cancelAfterMs: number | undefined;
  cancelTimes: number;
}

function planOrder(random: RandomSource): OrderPlan {
  const raced = random() < RACED;
  const cancelled = random() < CANCELLED;
  const cancelAfterMs = Math.floor(random() * 3_000);
  const cancelTimes = random() < 0.3 ? 2 : 1;
  return { raced, cancelAfterMs: cancelled ? cancelAfterMs : undefined, cancelTimes };
}

async function driveOrder(index: number, options: LoadOptions, result: LoadResult): Promise<void> {
  const seed = (options.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  const plan = planOrder(seededRandom(seed));
  const client = new RetryingClient(seededRandom(seed + 1), options, result);
  const key = `chaos-${options.seed}-${index}`;
  const body = newOrder(`chaos-${options.seed}`);
  const answers = await Promise.all(
    Array.from({ length: plan.raced ? 2 : 1 }, () =>
      client.post(`/orders`, body, { 'Idempotency-Key': key }, (status) => status === 201),
    ),
  );
  if (plan.raced) result.repeats += 1;
  if (answers.some((answer) => answer === undefined)) {
    result.problems.push(`order ${index} (key ${key}) got no answer within ${options.giveUpMs ?? GIVE_UP_MS} ms`);
    return;
  }
  const ids = new Set(answers.map((answer) => (answer?.body as { id?: string } | undefined)?.id));
  const [id] = ids;
  if (ids.size !== 1 || id === undefined) {
    result.problems.push(`key ${key} was answered with different orders: ${[...ids].join(', ')}`);
    return;
  }
  result.accepted.add(id);

  if (plan.cancelAfterMs === undefined) return;
  await delay(plan.cancelAfterMs);
  for (let i = 0; i < plan.cancelTimes; i += 1) {
    const answer = await client.post(
      `/orders/${id}/cancel`,
      { reason: 'chaos' },
      {},
      (status) => status === 202 || status === 409,
    );
    if (answer?.status === 202) result.cancellations.accepted += 1;
    else if (answer?.status === 409) result.cancellations.refused += 1;
    else result.problems.push(`the cancellation of order ${id} got no answer`);
  }
}

/** POSTs until an answer `isFinal` accepts, on a replica drawn for each attempt; undefined when it gives up. */
class RetryingClient {
  constructor(
    private readonly random: RandomSource,
    private readonly options: LoadOptions,
    private readonly result: LoadResult,
  ) {}

  async post(
    path: string,
    body: unknown,
    headers: Record<string, string>,
    isFinal: (status: number) => boolean,
  ): Promise<{ status: number; body: unknown } | undefined> {
    const deadline = Date.now() + (this.options.giveUpMs ?? 120_000);
    for (let attempt = 1; Date.now() < deadline; attempt += 1) {
      const endpoints = this.options.endpoints();
      const replica = Math.floor(this.random() * endpoints.length);
      const endpoint = endpoints[replica] ?? '';
      let failure: string;
      let retryAfterMs = 0;
      try {
        const response = await fetch(`${endpoint}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        const answer = { status: response.status, body: (await response.json()) as unknown };
        if (isFinal(answer.status)) return answer;
        if (answer.status < 500 && answer.status !== 429) {
          this.result.problems.push(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          return undefined;
        }
        failure = `${answer.status} ${String((answer.body as { code?: unknown } | undefined)?.code)}`;
        retryAfterMs = Number(response.headers.get('retry-after') ?? 0) * 1_000;
      } catch (error) {
        // refused, reset or timed out: a replica killed or a dependency away; try again under the same key
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      failure = `order-service#${replica}: ${failure}`;
      this.result.failures.set(failure, (this.result.failures.get(failure) ?? 0) + 1);
      this.result.failedAttempts += 1;
      this.result.repeats += 1;
      // As a well-behaved client: exponential backoff with jitter, and never sooner than the answer's Retry-After.
      const backoffMs = Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)) * (0.5 + this.random() / 2);
      await delay(Math.max(backoffMs, retryAfterMs));
    }
    return undefined;
  }
}
