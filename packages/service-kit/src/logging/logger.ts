import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamicModule, ExecutionContext } from '@nestjs/common';
import { isRetryable, SqsContext } from '@sqsref/sqs-transport';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { pino } from 'pino';
import type { LogLevel } from '../config/env.js';

/** The header a caller may send to continue its own correlation id; every response carries it back. */
export const CORRELATION_HEADER = 'x-correlation-id';

/** Requests the logs leave out (probes would drown everything else). */
const QUIET_PATHS = new Set(['/health', '/ready']);

/** A correlation id kept from a caller: 1 to 128 letters, digits and `._:-`. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's correlation id when it is safe to log and forward, else a new UUID. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}

/**
 * The process's one pino logger: JSON lines with `service`, an ISO `time` and the level's name. Every log of the
 * service descends from it (HTTP requests, SQS handlers, the relay, startup).
 */
export function createRootLogger(service: string, level: LogLevel, destination?: DestinationStream): PinoLogger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

function sqsContextOf(context: ExecutionContext): SqsContext | undefined {
  const rpc = context.switchToRpc().getContext<unknown>();
  return rpc instanceof SqsContext ? rpc : undefined;
}

/**
 * nestjs-pino wired for a hybrid app, so that every log line made while handling a request or a message carries
 * `correlationId`:
 * - HTTP: the `X-Correlation-Id` header when valid, else a new UUID; echoed in the response header.
 * - SQS: the envelope's `correlationId`, plus the event id, type, FIFO group and receive count.
 * Handlers put the same id into the envelopes they emit, so it crosses services.
 */
export function loggerModule(root: PinoLogger): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      logger: root,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
        res.setHeader('X-Correlation-Id', id);
        return id;
      },
      customAttributeKeys: { reqId: 'correlationId' },
      quietReqLogger: true,
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? '') },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
    microservice: {
      genReqId: (context: ExecutionContext) => sqsContextOf(context)?.getEnvelope().correlationId ?? randomUUID(),
      customAttributeKeys: { reqId: 'correlationId' },
      quietRpcLogger: true,
      customProps: (context: ExecutionContext) => {
        const sqs = sqsContextOf(context);
        if (!sqs) return {};
        const envelope = sqs.getEnvelope();
        return {
          eventId: envelope.id,
          eventType: envelope.type,
          causationId: envelope.causationId,
          messageId: sqs.getMessage().MessageId,
          groupId: sqs.getGroupId(),
          receiveCount: sqs.getReceiveCount(),
        };
      },
      // Retryable failures (a lease held elsewhere, an order not there yet) are expected now and then.
      customLogLevel: (_context: ExecutionContext, error?: Error) =>
        error === undefined ? 'info' : isRetryable(error) ? 'warn' : 'error',
    },
  });
}
