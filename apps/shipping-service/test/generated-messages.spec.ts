import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { QUEUES } from '@sqsref/contracts';
import type { Json } from '@sqsref/service-kit/testing';
import {
  checkGeneratedCases,
  deeplyNestedJson,
  edgeString,
  edgeStringAt,
  fc,
  jsonClient,
  malformedJson,
  mutatedJson,
  ORDER_STRING_FIELDS,
  query,
  QueueCollector,
  queueUrl,
  sendEnvelope,
} from '@sqsref/service-kit/testing';
import { DEAD_LETTER_ATTRIBUTES, SQS_MAX_MESSAGE_BYTES } from '@sqsref/sqs-transport';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { placed } from './support/fixtures.js';
import type { ShippingServiceHarness } from './support/shipping-service.js';
import { startShippingServiceHarness } from './support/shipping-service.js';

/**
 * Generated bad messages for a real consumer (fast-check, fixed seed): the shipping service in-process on fauxqs
 * and PostgreSQL, fed on order-events.fifo with malformed JSON, envelopes with missing or retyped fields, unknown
 * versions, wrong or odd `type` attributes and extra attributes, edge strings and deep nesting in the payload, and
 * messages near SQS's size limit. Each message is either processed (its shipment exists) or in the DLQ with the
 * reason the transport attached; none is dropped, none is left to SQS's redrive, the service keeps running, and no
 * shipment lacks the events written with it.
 */

jest.setTimeout(180_000);

/** The marker attribute that finds a case's message again, in the DLQ. */
const CASE_ATTRIBUTE = 'generated-case';

/** The codes the transport gives input it can never process. */
const INPUT_FAILURE_CODES = [
  'INVALID_JSON',
  'INVALID_ENVELOPE',
  'UNKNOWN_EVENT_TYPE',
  'PAYLOAD_INVALID',
  'NON_RETRYABLE',
];

let harness: ShippingServiceHarness;
let deadLettered: QueueCollector;

beforeAll(async () => {
  harness = await startShippingServiceHarness();
  deadLettered = new QueueCollector(harness.infrastructure.sqs.client, url('order-events-dlq.fifo'));
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

const url = (name: string) => queueUrl(harness.infrastructure, name);

interface MessageCase {
  body: string;
  type: MessageAttributeValue | undefined;
  extra: Record<string, MessageAttributeValue>;
}

const stringAttribute = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** An order.placed envelope as the order service sends it, with a new order id each time. */
const placedEnvelope = (): Json => placed() as unknown as Json;

/** An envelope with an edge string in one of the payload's string fields. */
const edgePayload = (): fc.Arbitrary<Json> =>
  edgeStringAt(
    placedEnvelope,
    [...ORDER_STRING_FIELDS, ['placedAt']].map((path) => ['payload', ...path]),
  );

/** A body whose payload carries `filler` characters more: up to just under SQS's largest message. */
const oversized = (): fc.Arbitrary<string> =>
  fc.integer({ min: SQS_MAX_MESSAGE_BYTES - 4_096, max: SQS_MAX_MESSAGE_BYTES - 512 }).map((size) => {
    const envelope = placedEnvelope() as { payload: Record<string, Json> };
    const base = JSON.stringify(envelope).length;
    envelope.payload.shippingAddress = {
      ...(envelope.payload.shippingAddress as Record<string, Json>),
      name: 'x'.repeat(size - base - 12),
    };
    return JSON.stringify(envelope);
  });

const messageBody = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: mutatedJson(placedEnvelope).map(({ value }) => JSON.stringify(value)) },
    { weight: 3, arbitrary: edgePayload().map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.integer({ min: 2, max: 1_000 }), fc.constantFrom(0, -1, 1.5, '1', null))
        .map((version) => JSON.stringify({ ...(placedEnvelope() as object), version })),
    },
    { weight: 2, arbitrary: malformedJson() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: deeplyNestedJson({ minDepth: 100, maxDepth: 50_000 }).map((nested) => {
        const envelope = JSON.stringify(placedEnvelope());
        return `${envelope.slice(0, -1)},"deep":${nested}}`;
      }),
    },
    { weight: 1, arbitrary: oversized() },
  );

/** The `type` attribute: mostly right, or absent, unknown, an edge string, or not a String at all. */
const typeAttribute = (): fc.Arbitrary<MessageAttributeValue | undefined> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(stringAttribute('order.placed')) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('order.shipped', 'ORDER.PLACED', 'order.placed ').map(stringAttribute) },
    {
      weight: 1,
      arbitrary: edgeString()
        .filter((text) => text.trim() !== '')
        .map(stringAttribute),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<MessageAttributeValue>(
        { DataType: 'Number', StringValue: '1' },
        { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        { DataType: 'String.custom', StringValue: 'order.placed' },
      ),
    },
  );

/** Up to three more attributes (a foreign producer's), a malformed `traceparent` among them. */
const extraAttributes = (): fc.Arbitrary<Record<string, MessageAttributeValue>> =>
  fc
    .dictionary(
      fc.oneof(
        fc.constantFrom('traceparent', 'tracestate', 'correlation-id'),
        fc.stringMatching(/^[a-z][a-z0-9_.-]{0,30}$/),
      ),
      edgeString()
        .filter((text) => text.trim() !== '')
        .map(stringAttribute),
      { maxKeys: 3 },
    )
    .map((attributes) => {
      delete attributes[CASE_ATTRIBUTE];
      delete attributes.type;
      return attributes;
    });

/** What became of a case's message: processed (its order has a shipment), dead-lettered, or nothing yet. */
type Fate = { kind: 'processed' } | { kind: 'deadLettered'; message: Message } | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function orderIdOf(body: string): string | undefined {
  try {
    const orderId = (JSON.parse(body) as { payload?: { orderId?: unknown } }).payload?.orderId;
    return typeof orderId === 'string' && UUID.test(orderId) ? orderId : undefined;
  } catch {
    return undefined;
  }
}

async function fateOf(caseId: string, body: string): Promise<Fate> {
  // By the marker, or, for a body so large that the DLQ copy had no room left for the marker, by the body.
  const letter = (await deadLettered.collect()).find((message) => {
    const marker = message.MessageAttributes?.[CASE_ATTRIBUTE]?.StringValue;
    return marker === caseId || (marker === undefined && message.Body === body);
  });
  if (letter) return { kind: 'deadLettered', message: letter };
  const orderId = orderIdOf(body);
  if (orderId && (await harness.service.prisma.shipment.count({ where: { orderId } })) > 0)
    return { kind: 'processed' };
  return undefined;
}

/** Shipments without the shipment.created and label request their transaction wrote with them. */
function halfWrittenShipments(): Promise<unknown[]> {
  return query(
    harness.databaseUrl,
    `SELECT s.id FROM shipments s
      WHERE (SELECT count(*) FROM sqs_outbox x
              WHERE x.body LIKE '%' || s.id || '%'
                AND x.attributes->>'type' IN ('shipment.created', 'shipment.label_requested')) <> 2`,
  );
}

describe('generated bad messages fed to a real consumer', () => {
  const tally = { processed: 0, deadLettered: 0, refusedBySqs: 0 };

  it('processes each message or dead-letters it with the reason; none is dropped or left to the redrive', async () => {
    const sqs = harness.infrastructure.sqs.client;
    await checkGeneratedCases(
      'order-events.fifo messages',
      fc.asyncProperty(messageBody(), typeAttribute(), extraAttributes(), async (body, type, extra) => {
        const message: MessageCase = { body, type, extra };
        const caseId = randomUUID();
        try {
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: url(QUEUES.orderEvents),
              MessageBody: message.body,
              MessageAttributes: {
                ...message.extra,
                ...(message.type === undefined ? {} : { type: message.type }),
                [CASE_ATTRIBUTE]: stringAttribute(caseId),
              },
              MessageGroupId: randomUUID(),
              MessageDeduplicationId: caseId,
            }),
          );
        } catch (error) {
          // SQS itself refuses it (e.g. characters it does not allow): the consumer never sees it.
          expect((error as { name?: string }).name).toMatch(/Invalid|Validation|TooLong|Unsupported/);
          tally.refusedBySqs += 1;
          return;
        }
        const fate = await waitFor(() => fateOf(caseId, message.body), {
          timeoutMs: 20_000,
          intervalMs: 50,
          description: `the fate of generated case ${caseId}`,
        });
        if (fate.kind === 'processed') {
          tally.processed += 1;
          return;
        }
        tally.deadLettered += 1;
        const attributes = fate.message.MessageAttributes ?? {};
        // The transport's own move, with its reason; SQS's redrive (after retries) would carry no reason.
        expect({
          code: attributes[DEAD_LETTER_ATTRIBUTES.errorCode]?.StringValue,
          hasMessage: (attributes[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue ?? '') !== '',
          body: fate.message.Body === message.body,
        }).toEqual({
          code: expect.stringMatching(new RegExp(`^(${INPUT_FAILURE_CODES.join('|')})$`)),
          hasMessage: true,
          body: true,
        });
      }),
      { numRuns: 100, endOnFailure: true },
    );
    console.log(`order-events.fifo messages: ${JSON.stringify(tally)}`);
    // The generators reach both outcomes.
    expect(tally.processed).toBeGreaterThan(0);
    expect(tally.deadLettered).toBeGreaterThan(0);
  });

  it('leaves no half-written shipment, and the service still consumes', async () => {
    expect(await halfWrittenShipments()).toEqual([]);
    expect((await jsonClient(harness.service.url).get('/health')).status).toBe(200);
    const order = placed();
    const orderId = (order.payload as { orderId: string }).orderId;
    await sendEnvelope(harness.infrastructure.sqs.client, url(QUEUES.orderEvents), order, { groupId: orderId });
    await waitFor(async () => (await harness.service.prisma.shipment.count({ where: { orderId } })) > 0 || undefined, {
      timeoutMs: 15_000,
      intervalMs: 100,
      description: 'a shipment for an order placed after the generated cases',
    });
  });
});
