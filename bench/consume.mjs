// Consume throughput: the transport against a raw SDK loop (the ceiling) and sqs-consumer, side by side in one run.
import 'reflect-metadata';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { SqsServer } from '@sqsref/sqs-transport';
import { Consumer } from 'sqs-consumer';
import { until } from './lib.mjs';

/** 8 long-poll loops: receive 10, no-op, DeleteMessageBatch. What SQS itself allows on this machine. */
export async function rawLoop({ sqs, queueUrl, total }) {
  let handled = 0;
  let finishedAt = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (handled < total) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId'],
          }),
        );
        if (Messages.length === 0) continue;
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
        handled += Messages.length;
        if (handled >= total && finishedAt === 0) finishedAt = performance.now();
      }
    }),
  );
  return (total * 1000) / (finishedAt - started);
}

/** sqs-consumer with batchSize 10; `batch` switches to handleMessageBatch (its fastest mode). */
export async function sqsConsumer({ sqs, queueUrl, total, batch }) {
  let handled = 0;
  const consumer = Consumer.create({
    queueUrl,
    sqs,
    batchSize: 10,
    waitTimeSeconds: 1,
    ...(batch ? { handleMessageBatch: async (messages) => messages } : { handleMessage: async (message) => message }),
    suppressFifoWarning: true,
  });
  consumer.on('message_processed', () => {
    handled += 1;
  });
  consumer.on('error', () => undefined);
  const started = performance.now();
  consumer.start();
  await until(() => handled >= total, 120_000);
  const elapsed = performance.now() - started;
  consumer.stop({ abort: true });
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

/** The transport through a Nest microservice: envelope parsing, routing, Nest's handler pipeline, batched deletes. */
export async function transport({ sqs, queueUrl, total }) {
  const server = new SqsServer({
    client: sqs,
    queues: [{ url: queueUrl, pollers: 8, waitTimeSeconds: 1 }],
    concurrency: 100,
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
