// Test 3 of issue 13: the operations console in a real browser (Debian's `chromium`, driven by playwright-core, which
// downloads nothing) against a running stack: fauxqs, PostgreSQL, both services and the console as child processes.
// It lists an order placed over the order service's API, places a demo order and watches both reach SHIPPED, finds
// a poison message in a DLQ, opens it and redrives it, using the keyboard for each action, and keeps a screenshot of
// each step in e2e/artifacts/console/ (gitignored).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ServiceChild } from '@sqsref/dev-stack';
import { consoleEntry, httpUrl, spawnService } from '@sqsref/dev-stack';
import { sendRaw } from '@sqsref/service-kit/testing';
import { freePort, waitFor } from '@sqsref/sqs-transport/testing';
import type { Stack } from './support/stack.js';
import { startStack } from './support/stack.js';

/** Debian's package; `.ci/run` installs it (`apt-get install -y chromium`). CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('./artifacts/console/', import.meta.url));
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SOURCE = 'order-events.fifo';
const DLQ = 'order-events-dlq.fifo';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  process.stderr.write(
    `console browser test SKIPPED: no chromium at ${CHROMIUM}. Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.\n`,
  );
}
const suite = haveChromium ? describe : describe.skip;

jest.setTimeout(180_000);

suite(`the console in a real browser (${haveChromium ? CHROMIUM : `SKIPPED: no chromium at ${CHROMIUM}`})`, () => {
  let stack: Stack;
  let consoleProcess: ServiceChild;
  let consoleUrl: string;
  let consoleOutput = '';
  let browser: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let step = 0;

  const screenshot = async (name: string): Promise<void> => {
    step += 1;
    await page.screenshot({ path: join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
  };

  /** Presses Tab until `target` has the focus: the action is reachable by keyboard. */
  const tabTo = async (target: Locator, maxPresses = 60): Promise<void> => {
    for (let press = 0; press < maxPresses; press++) {
      const focused = await target.evaluate(
        (element: unknown) =>
          element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
      );
      if (focused) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${String(target)}`);
  };

  /** Waits until the element's text matches (playwright-core has no `expect`); returns the text. */
  const textMatches = async (target: Locator, pattern: string | RegExp, timeoutMs = 15_000): Promise<string> => {
    let last = '';
    const matches = (text: string): boolean =>
      typeof pattern === 'string' ? text.trim() === pattern : pattern.test(text);
    try {
      return await waitFor(
        async () => {
          last = (await target.first().textContent({ timeout: 1_000 })) ?? '';
          return matches(last) ? last : undefined;
        },
        { timeoutMs, intervalMs: 100, description: `${String(target)} to match ${String(pattern)}` },
      );
    } catch (error) {
      await screenshot('failed').catch(() => undefined);
      throw new Error(`${String(error)}; its text was "${last}"`, { cause: error });
    }
  };

  const queueRow = (name: string): Locator => page.locator(`#queues-table tr[data-queue="${name}"]`);

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    // Shipping long-polls for 1 s at most: a receive it had open when the test stops it stays open on the emulator
    // (as on SQS) and may take the redriven message into flight for a visibility timeout.
    stack = await startStack({ shipping: { LABEL_JOB_MS: '300', SQS_WAIT_TIME_SECONDS: '1' } });
    const port = await freePort();
    consoleUrl = httpUrl('127.0.0.1', port);
    consoleProcess = spawnService(
      {
        name: 'console',
        entry: consoleEntry(),
        url: consoleUrl,
        inheritEnv: false,
        env: {
          HOST: '127.0.0.1',
          PORT: String(port),
          ORDER_URL: stack.order.url,
          SHIPPING_URL: stack.shipping.url,
          AWS_ENDPOINT_URL_SQS: stack.infrastructure.sqs.endpoint,
          AWS_REGION: 'us-east-1',
          CONSOLE_SAMPLE_MS: '1000',
        },
      },
      (line) => (consoleOutput += `${line}\n`),
    );
    await consoleProcess.ready(30_000).catch((error: unknown) => {
      throw new Error(`the console did not start: ${String(error)}\n${consoleOutput}`);
    });
    userDataDir = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1100, height: 800 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await consoleProcess?.stop(5_000);
    await stack?.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('shows every queue and DLQ of infra/queues.json with its depth', async () => {
    await page.goto(consoleUrl);
    for (const name of [SOURCE, DLQ, 'shipment-events.fifo', 'shipment-events-dlq.fifo', 'shipping-labels.fifo']) {
      await textMatches(queueRow(name).locator('td').first(), /^OK: /);
    }
    await textMatches(queueRow(DLQ).locator('td[data-label="Depth"]'), '0');
    await screenshot('queues');
  });

  it("lists an order placed over the order service's own API, whoever placed it", async () => {
    const placed = await stack.orders.post<{ id: string }>('/orders', {
      customerId: 'not-the-console',
      items: [{ sku: 'BOOK-1', quantity: 1 }],
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    });
    expect(placed.status).toBe(201);
    await page.getByRole('link', { name: 'Orders' }).click();
    const order = page.locator(`#orders-list li.order[data-order-id="${placed.body.id}"]`);
    await textMatches(order.locator('p.meta'), /^Customer not-the-console\./);
    await textMatches(order.locator('.badge'), 'Status: SHIPPED', 60_000);
    await screenshot('order-placed-elsewhere');
    // The charts count it now, so that it and the next order settle in points of their own.
    await waitFor(
      async () => {
        const samples = (await (await fetch(`${consoleUrl}/api/charts`)).json()) as Array<{ ordersSettled: number }>;
        return samples.some((sample) => sample.ordersSettled > 0);
      },
      { timeoutMs: 15_000, intervalMs: 200, description: 'the charts to count the settled order' },
    );
  });

  it('places a demo order with the keyboard and shows its timeline until it is SHIPPED', async () => {
    await tabTo(page.getByRole('button', { name: 'Place demo orders' }));
    await page.keyboard.press('Enter');
    const placed = await textMatches(page.locator('#status'), /Placed 1 demo order\(s\): [0-9a-f-]{36}$/);
    const id = placed.trim().slice(-36);
    const order = page.locator(`#orders-list li.order[data-order-id="${id}"]`);
    await textMatches(order.locator('.badge'), 'Status: SHIPPED', 60_000);
    // Newest first: the demo order above the one placed before it.
    const listed = await page
      .locator('#orders-list li.order')
      .evaluateAll((items) =>
        items.map((item) => (item as unknown as { dataset: { orderId: string } }).dataset.orderId),
      );
    expect(listed).toHaveLength(2);
    expect(listed[0]).toBe(id);
    const steps = await order.locator('ol.timeline li').allTextContents();
    expect(steps.map((text) => text.trim())).toEqual([
      expect.stringMatching(/^. placed: .+$/),
      expect.stringMatching(/^. shipment created: .+ \(\+[\d.]+ m?s\)$/),
      expect.stringMatching(/^. label: .+ \(\+[\d.]+ m?s\)$/),
      expect.stringMatching(/^. dispatched: .+ \(\+[\d.]+ m?s\)$/),
    ]);
    // The console shows what the order service says.
    expect((await stack.orders.get<{ status: string }>(`/orders/${id}`)).body.status).toBe('SHIPPED');
    await screenshot('order-shipped');
  });

  it('charts the settled order', async () => {
    await page.getByRole('link', { name: 'Charts' }).click();
    await textMatches(page.locator('#charts figure figcaption'), /highest 1 order\(s\)/, 30_000);
    await screenshot('charts');
  });

  it('finds a poison message in the DLQ, opens it and redrives it to its source queue', async () => {
    // A body that is not JSON: shipping's consumer dead-letters it at once (no retry can fix it).
    await sendRaw(stack.infrastructure.sqs.client, stack.queueUrl(SOURCE), 'this is not JSON', {
      type: 'order.placed',
      groupId: 'poison-group',
    });
    await page.getByRole('link', { name: 'Queues' }).click();
    await textMatches(queueRow(DLQ).locator('td').first(), 'ATTENTION: 1 dead letter(s)', 30_000);
    await textMatches(queueRow(SOURCE).locator('td[data-label="DLQ depth"]'), '1');
    await screenshot('queues-dead-letter');

    // Stop the consumer, so the redriven message stays on its source queue where this test can look at it.
    await stack.shipping.stop('SIGTERM');

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const dlq = page.locator(`form.dlq[data-queue="${DLQ}"]`);
    const letter = dlq.locator('li.dead-letter');
    await waitFor(async () => (await letter.count()) === 1, { timeoutMs: 15_000, description: 'one dead letter' });
    const summary = letter.locator('summary');
    await textMatches(summary, /^Reason: [A-Z_]+/);
    await tabTo(summary);
    await page.keyboard.press('Enter'); // opens the message
    expect(await letter.locator('dl').isVisible()).toBe(true);
    await textMatches(letter.locator('dl'), new RegExp(`Source queue${SOURCE.replace('.', '\\.')}`));
    await textMatches(letter.locator('pre.body'), 'this is not JSON');
    await screenshot('dead-letter-open');

    await tabTo(letter.getByRole('checkbox'));
    await page.keyboard.press('Space');
    expect(await letter.getByRole('checkbox').isChecked()).toBe(true);
    await tabTo(dlq.getByRole('button', { name: 'Redrive selected' }));
    await page.keyboard.press('Enter');
    await textMatches(
      page.locator('#status'),
      /Redrove 1 message\(s\) of order-events-dlq\.fifo to order-events\.fifo\.$/,
    );
    await textMatches(dlq.locator('h3'), /^order-events-dlq\.fifo: 0 message\(s\)/);
    await screenshot('redriven');

    await page.getByRole('link', { name: 'Queues' }).click();
    // The message is back on its source queue: visible, or held (fauxqs shows it in flight for a while after the
    // consumer stopped; the redrive suites check its group, deduplication id and processing with a live consumer).
    const onSource = async (): Promise<number> => {
      const [depth, inFlight] = await Promise.all([
        queueRow(SOURCE).locator('td[data-label="Depth"]').innerText(),
        queueRow(SOURCE).locator('td[data-label="In flight"]').innerText(),
      ]);
      return Number(depth) + Number(inFlight);
    };
    await waitFor(async () => (await onSource()) === 1, {
      timeoutMs: 15_000,
      description: 'one message on the source',
    });
    await textMatches(queueRow(DLQ).locator('td[data-label="Depth"]'), '0');
    await screenshot('queues-after-redrive');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot('queues-phone');

    // On the source queue, as SQS counts it; nothing is left in the DLQ.
    const counts = await stack.infrastructure.sqs.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.queueUrl(SOURCE),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const attributes = counts.Attributes ?? {};
    expect(
      Number(attributes.ApproximateNumberOfMessages) + Number(attributes.ApproximateNumberOfMessagesNotVisible),
    ).toBe(1);
  });
});
