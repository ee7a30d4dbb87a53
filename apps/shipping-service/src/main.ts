// The shipping service's entry point: validates the environment (exit 1 with every problem listed), migrates the
// database, then consumes order events and label requests and serves its read API until SIGTERM/SIGINT
// (graceful shutdown: running label jobs get SHUTDOWN_TIMEOUT_MS to finish).
import 'reflect-metadata';
import { loadConfig, runService } from '@sqsref/service-kit';
import { startShippingService } from './app.js';
import { shippingServiceEnv } from './config.js';

await runService(() => startShippingService(loadConfig('shipping-service', shippingServiceEnv)));
