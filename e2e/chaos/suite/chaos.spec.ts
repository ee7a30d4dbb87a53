// The chaos suite (issue 12): both services as several processes against durable fauxqs and real PostgreSQL, driven
// over HTTP while faults strike at random moments from a seeded schedule; then an audit of the databases and queues.
// `CHAOS_SEED=<seed> CHAOS_ORDERS=<n> npm run test:chaos` replays a run. See docs/reliability.md.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { seededRandom } from '@sqsref/sqs-transport/testing';
import type { AuditInput, AuditRule } from '../audit.js';
import { audit, AUDIT_RULES, redriveExplanations } from '../audit.js';
import { chaosConfig } from '../chaos-config.js';
import { ChaosSystem, REPLICAS } from '../chaos-system.js';
import { faultEvidence, gatherAuditInput, waitUntilSettled } from '../evidence.js';
import { FaultInjector, waitUntilAllReady } from '../fault-injector.js';
import { describeFault, planFaults } from '../fault-schedule.js';
import type { LoadResult } from '../order-load.js';
import { runOrderLoad } from '../order-load.js';
import { delay } from '@sqsref/sqs-transport/common';

const config = chaosConfig(process.env);
jest.setTimeout(config.windowMs + config.settleMs + 300_000);

const log = (line: string): void => void process.stdout.write(`[chaos] ${line}\n`);

let system: ChaosSystem | undefined;
let load: LoadResult;
let unready: string[] = [];
let crashes: string[] = [];
const injectionErrors: string[] = [];
let problems: Record<AuditRule, string[]>;

beforeAll(
  async () => {
    const replay = `CHAOS_SEED=${config.seed} CHAOS_ORDERS=${config.orders} npm run test:chaos`;
    log(`seed ${config.seed}, ${config.orders} orders over ${config.windowMs / 1000} s (replay: ${replay})`);
    const started = Date.now();
    system = await ChaosSystem.start();
    const running = system;
    log(`system up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${running.all().length} service processes`);

    const schedule = planFaults(seededRandom(config.seed), {
      windowMs: config.windowMs,
      meanGapMs: 2_500,
      replicas: REPLICAS,
    });
    const injector = new FaultInjector(running);
    const window = Date.now();
    const faults = (async () => {
      for (const { atMs, fault } of schedule) {
        await delay(atMs - (Date.now() - window));
        const at = ((Date.now() - window) / 1000).toFixed(1);
        try {
          const outcome = await injector.inject(fault);
          log(`${at} s: ${describeFault(fault)}: ${outcome.detail}`);
        } catch (error) {
          // Logged and counted (the run fails at the end), so the load and the other faults go on.
          log(`${at} s: ${describeFault(fault)}: FAILED TO INJECT: ${String(error)}`);
          injectionErrors.push(`${describeFault(fault)}: ${String(error)}`);
        }
      }
    })();
    [load] = await Promise.all([
      runOrderLoad({
        seed: config.seed,
        orders: config.orders,
        windowMs: config.windowMs,
        endpoints: () => running.orderUrls(),
      }),
      faults,
    ]);
    log(
      `load done in ${((Date.now() - window) / 1000).toFixed(1)} s: ${load.accepted.size} orders accepted, ` +
        `${load.repeats} requests repeated under their key, ${load.failedAttempts} failed attempts retried, ` +
        `cancellations ${load.cancellations.accepted} accepted / ${load.cancellations.refused} refused`,
    );
    log(`failed attempts: ${[...load.failures].map(([kind, n]) => `${kind} x${n}`).join(', ') || 'none'}`);
    log(`faults: ${[...injector.counts].map(([kind, n]) => `${kind} ${n}`).join(', ')}`);

    await injector.restarted();
    await injector.findCrashed();
    crashes = injector.crashes;
    if (crashes.length > 0) log(`CRASHED: ${crashes.join('; ')}`);
    if (injector.failedStarts.length > 0) {
      log(`restarts that failed and were retried: ${injector.failedStarts.join('; ')}`);
    }
    unready = await waitUntilAllReady(running, 120_000);
    if (unready.length > 0) log(`NOT READY 120 s after the load: ${unready.join('; ')}`);
    const settling = Date.now();
    const settled = await waitUntilSettled(running, load.accepted.size, injector.poisonIds.size, config.settleMs);
    log(`${settled ? 'settled' : 'NOT settled'} ${((Date.now() - settling) / 1000).toFixed(1)} s after the load`);
    const input: AuditInput = await gatherAuditInput(running, load.accepted, injector.poisonIds, injector.timeline);
    const evidence = await faultEvidence(running);
    log(
      `inside the services: ${evidence.injectedHandlerFailures} handler failures injected, ` +
        `${evidence.labels.slow} label jobs slower than the visibility timeout, ${evidence.labels.interrupted} cut off by a kill, ` +
        `${evidence.labels.carrierFailures} carrier failures, ${evidence.labels.rerun} label jobs run again on a later delivery; ` +
        `since the last restart of each live process: ${evidence.duplicates} duplicate deliveries absorbed, ${evidence.retried} retries`,
    );
    problems = audit(input);
    const messages = new Set(input.receives.map((receive) => receive.messageId));
    log(
      `receive histories from the logs: ${input.receives.length} receives of ${messages.size} messages, ` +
        `${input.receives.filter((receive) => !receive.outcome).length} ended without an outcome line; ` +
        `fault timeline: ${input.faults.length} kills, emulator restarts and database faults`,
    );
    for (const [messageId, explanation] of redriveExplanations(input)) {
      if (explanation.explained) {
        log(`DLQ message ${messageId} redriven, explained by: ${explanation.faults.join('; ')}`);
      }
    }
    log(
      `audit of ${input.orders.length} orders (${input.orders.filter((o) => o.status === 'SHIPPED').length} shipped, ` +
        `${input.orders.filter((o) => o.status === 'CANCELLED').length} cancelled), ${input.shipments.length} shipments, ` +
        `${input.labels.length} labels, ${input.history.length} history rows, ${input.deadLetters.length} DLQ messages ` +
        `(${injector.poisonIds.size} poison sent), ${injector.duplicated.length} events sent again by a foreign producer; ` +
        `total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const [rule, found] of Object.entries(problems)) {
      if (found.length > 0) log(`${rule}: ${found.length} problem(s): ${found.slice(0, 5).join('; ')}`);
    }
    if (
      unready.length > 0 ||
      crashes.length > 0 ||
      load.problems.length > 0 ||
      Object.values(problems).some((found) => found.length > 0)
    ) {
      const dir = join(tmpdir(), `chaos-${config.seed}-${Date.now()}`);
      await running.writeLogs(dir);
      log(`the services' logs are in ${dir}`);
    }
  },
  config.windowMs + config.settleMs + 240_000,
);

afterAll(async () => {
  await system?.stop();
}, 60_000);

describe(`the system under random faults (seed ${config.seed}, ${config.orders} orders)`, () => {
  it('the API kept its promises: every request answered, one order per Idempotency-Key; no process crashed, every one up again, every fault injected', () => {
    expect(load.problems.slice(0, 20)).toEqual([]);
    expect(unready).toEqual([]);
    expect(crashes).toEqual([]);
    expect(injectionErrors).toEqual([]);
  });

  for (const [rule, description] of Object.entries(AUDIT_RULES) as Array<[AuditRule, string]>) {
    it(`audit: ${description}`, () => {
      expect(problems[rule].slice(0, 20)).toEqual([]);
    });
  }
});
