import { describe, expect, it } from '@jest/globals';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { SqsContextArgs } from '@sqsref/sqs-transport';
import { SqsContext } from '@sqsref/sqs-transport';
import { lastValueFrom, of } from 'rxjs';
import { HandlerFaultInterceptor, InjectedFaultError } from './handler-fault.interceptor.js';

function sqsContext(receiveCount: number): ExecutionContext {
  const ctx = new SqsContext([
    {
      message: {},
      envelope: { id: 'evt-1', type: 'order.placed' },
      receiveCount,
      queueUrl: 'q',
      groupId: undefined,
      signal: new AbortController().signal,
      transaction: undefined,
    } as unknown as SqsContextArgs,
  ]);
  return { getType: () => 'rpc', switchToRpc: () => ({ getContext: () => ctx }) } as unknown as ExecutionContext;
}

/** A handler that counts its runs. */
function handler(): CallHandler & { runs: number } {
  const spy = {
    runs: 0,
    handle: () => {
      spy.runs += 1;
      return of(undefined);
    },
  };
  return spy;
}

describe('HandlerFaultInterceptor', () => {
  it('fails a drawn delivery after the handler ran, with a FAULT_INJECTED error', async () => {
    const next = handler();
    const injected: unknown[] = [];
    const interceptor = new HandlerFaultInterceptor(
      { failureRate: 0.5, maxReceiveCount: 3, onInject: (fault) => injected.push(fault) },
      () => 0.49,
    );
    const error = await lastValueFrom(interceptor.intercept(sqsContext(1), next)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InjectedFaultError);
    expect(error).toMatchObject({ code: 'FAULT_INJECTED' });
    expect(next.runs).toBe(1);
    expect(injected).toEqual([{ type: 'order.placed', eventId: 'evt-1', receiveCount: 1 }]);
  });

  it('passes deliveries that were not drawn, and those past maxReceiveCount', async () => {
    const notDrawn = new HandlerFaultInterceptor({ failureRate: 0.5, maxReceiveCount: 3 }, () => 0.5);
    await expect(lastValueFrom(notDrawn.intercept(sqsContext(1), handler()), { defaultValue: 'ok' })).resolves.toBe(
      undefined,
    );
    const always = new HandlerFaultInterceptor({ failureRate: 1, maxReceiveCount: 3 }, () => 0);
    await expect(lastValueFrom(always.intercept(sqsContext(4), handler()))).resolves.toBe(undefined);
    await expect(lastValueFrom(always.intercept(sqsContext(3), handler()))).rejects.toBeInstanceOf(InjectedFaultError);
  });

  it('leaves HTTP requests alone', async () => {
    const always = new HandlerFaultInterceptor({ failureRate: 1, maxReceiveCount: 3 }, () => 0);
    const http = { getType: () => 'http' } as unknown as ExecutionContext;
    await expect(lastValueFrom(always.intercept(http, handler()))).resolves.toBe(undefined);
  });
});
