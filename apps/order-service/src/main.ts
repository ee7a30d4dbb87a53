// The order service's entry point: validates the environment (exit 1 with every problem listed), migrates the
// database, then serves HTTP and consumes shipment events until SIGTERM/SIGINT (graceful shutdown).
import 'reflect-metadata';
import { loadConfig, runService } from '@sqsref/service-kit';
import { startOrderService } from './app.js';
import { orderServiceEnv } from './config.js';

await runService(() => startOrderService(loadConfig('order-service', orderServiceEnv)));
