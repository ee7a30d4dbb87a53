// Consume throughput contenders, compared at equal concurrency: each runs `loops` receive loops of up to 10 messages
// (80 messages in flight with 8 loops), against the same preloaded queue, no-op work. Each returns msgs/s, counting a
// message once its delete succeeded.
import 'reflect-metadata';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { SqsServer } from '@sqsref/sqs-transport';
import { Consumer } from 'sqs-consumer';
import { until } from './lib.mjs';

const RECEIVE = {
  MaxNumberOfMessages: 10,
  WaitTimeSeconds: 1,
  MessageAttributeNames: ['All'],
  MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId'],
};

function deleteBatch(sqs, queueUrl, messages) {
  return sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
    }),
  );
}

/**
 * Raw SDK loops: receive 10, no-op, DeleteMessageBatch. With `pipelined`, a loop sends its delete and receives again at
 * once, as the transport does (it frees a message's slot once its delete is queued); otherwise it waits for the delete.
 */
export async function rawLoop({ sqs, queueUrl, total, loops, pipelined }) {
  let received = 0;
  let deleted = 0;
  let finishedAt = 0;
  const deletions = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (received < total) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, ...RECEIVE }));
        if (Messages.length === 0) continue;
        received += Messages.length;
        const deletion = deleteBatch(sqs, queueUrl, Messages).then((result) => {
          deleted += result.Successful?.length ?? 0;
          if (deleted >= total && finishedAt === 0) finishedAt = performance.now();
        });
        if (pipelined) deletions.push(deletion);
        else await deletion;
      }
    }),
  );
  await Promise.all(deletions);
  return (total * 1000) / (finishedAt - started);
}

/** `instances` sqs-consumer `Consumer`s, batchSize 10, handleMessageBatch (its fastest mode). */
export async function sqsConsumer({ sqs, queueUrl, total, loops }) {
  let handled = 0;
  const consumers = Array.from({ length: loops }, () => {
    const consumer = Consumer.create({
      queueUrl,
      sqs,
      batchSize: 10,
      waitTimeSeconds: 1,
      handleMessageBatch: async (messages) => messages,
      suppressFifoWarning: true,
    });
    consumer.on('message_processed', () => {
      handled += 1;
    });
    consumer.on('error', () => undefined);
    return consumer;
  });
  const started = performance.now();
  for (const consumer of consumers) consumer.start();
  await until(() => handled >= total, 120_000);
  const elapsed = performance.now() - started;
  for (const consumer of consumers) consumer.stop({ abort: true });
  return (total * 1000) / elapsed;
}

// Plain JavaScript has no decorators: apply them as functions.
class NoopHandlers {
  noop() {}
}
EventPattern('bench.noop')(
  NoopHandlers.prototype,
  'noop',
  Object.getOwnPropertyDescriptor(NoopHandlers.prototype, 'noop'),
);
Controller()(NoopHandlers);
class BenchModule {}
Module({ controllers: [NoopHandlers] })(BenchModule);

/**
 * The transport through a Nest microservice, every guarantee on (envelope parsing, routing, Nest's handler pipeline,
 * heartbeat, batched deletes): `loops` pollers and 10 handlers per poller, no prefetch, so as many messages are held
 * as the other contenders hold.
 */
export async function transport({ sqs, queueUrl, total, loops }) {
  const server = new SqsServer({
    client: sqs,
    queues: [{ url: queueUrl, pollers: loops, waitTimeSeconds: 1 }],
    concurrency: 10 * loops,
    prefetch: 0,
  });
  let deleted = 0;
  server.onEvent('deleted', (event) => {
    deleted += event.count;
  });
  const app = await NestFactory.createMicroservice(BenchModule, { strategy: server, logger: false });
  const started = performance.now();
  await app.listen();
  await until(() => deleted >= total, 120_000);
  const elapsed = performance.now() - started;
  await app.close();
  return (total * 1000) / elapsed;
}

/** Every contender, by name; `loops` is the receive loops (sqs-consumer instances, transport pollers) each runs. */
export function contenders(loops) {
  const n = `${loops} loop${loops === 1 ? '' : 's'}`;
  return [
    {
      name: `raw loop, deletes pipelined (${n})`,
      ceiling: true,
      run: (a) => rawLoop({ ...a, loops, pipelined: true }),
    },
    { name: `raw loop, deletes awaited (${n})`, run: (a) => rawLoop({ ...a, loops, pipelined: false }) },
    {
      name: `sqs-consumer, handleMessageBatch (${loops} instance${loops === 1 ? '' : 's'})`,
      reference: true,
      run: (a) => sqsConsumer({ ...a, loops }),
    },
    {
      name: `sqs-transport (Nest), ${loops} poller${loops === 1 ? '' : 's'}`,
      transport: true,
      run: (a) => transport({ ...a, loops }),
    },
  ];
}
