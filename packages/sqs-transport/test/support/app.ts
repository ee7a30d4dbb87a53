import 'reflect-metadata';
import type { INestMicroservice, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { SqsServerOptions } from '../../src/index.js';
import { SqsServer } from '../../src/index.js';

export interface ConsumerApp {
  app: INestMicroservice;
  server: SqsServer;
  close(): Promise<void>;
}

/** Starts a Nest microservice with the SQS transport and the given controllers. */
export async function startConsumerApp(controllers: Type[], options: SqsServerOptions): Promise<ConsumerApp> {
  class TestModule {}
  Module({ controllers })(TestModule);
  const server = new SqsServer(options);
  const app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
  await app.listen();
  return { app, server, close: () => app.close() };
}
