import { describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { InvalidOptionError } from '../errors.js';
import type { ConsumerEvents } from '../events.js';
import { createEnvelope } from '../producer/envelope.js';
import { FakeSqsClient, HandlerSpy } from '../testing/index.js';
import { SqsContext } from './sqs.context.js';
import type { SqsServerStatus } from './sqs.server.js';
import { SqsServer } from './sqs.server.js';

function setup() {
  const fake = new FakeSqsClient();
  const queueUrl = fake.createQueue('orders');
  const server = new SqsServer({
    client: fake.asClient(),
    queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }],
  });
  const listen = (): Promise<unknown> => new Promise((resolve) => server.listen((error) => resolve(error)));
  const statuses: SqsServerStatus[] = [];
  server.status.subscribe((status) => statuses.push(status));
  return { fake, queueUrl, server, listen, statuses };
}

describe('SqsServer (Nest plumbing)', () => {
  it('routes to its handler with an SqsContext, reports events through on(), and its status through status', async () => {
    const { fake, queueUrl, server, listen, statuses } = setup();
    const handled = new HandlerSpy<{ payload: unknown; queueUrl: string }>();
    server.addHandler(
      'order.placed',
      async (payload: unknown, context: SqsContext) => {
        expect(context).toBeInstanceOf(SqsContext);
        handled.record({ payload, queueUrl: context.getQueueUrl() });
      },
      true,
    );
    const processed = new HandlerSpy<ConsumerEvents['processed']>();
    server.on('processed', (event) => processed.record(event));

    await expect(listen()).resolves.toBeUndefined();
    expect(statuses).toEqual(['listening']);
    expect(server.unwrap()).toBe(fake.asClient());
    fake.enqueue(queueUrl, JSON.stringify(createEnvelope({ type: 'order.placed', payload: { orderId: 'o-1' } })));
    try {
      await processed.waitForCalls(1);
      expect(handled.calls).toEqual([{ payload: { orderId: 'o-1' }, queueUrl }]);
      expect(processed.calls[0]).toMatchObject({ eventType: 'order.placed', duplicate: false });
    } finally {
      await server.close();
    }
    await firstValueFrom(server.status.pipe(filter((status) => status === 'closed')));
    expect(statuses).toEqual(['listening', 'closed']);
  });

  it('refuses to listen when a handler declares an inbox mode and no inbox store is given', async () => {
    const { server, listen, statuses } = setup();
    server.addHandler('order.placed', async () => undefined, true, { inbox: 'transaction' });
    const error = await listen();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(statuses).toEqual([]);
  });
});
