import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { z } from 'zod';
import { ValidationFailedError } from './api-error.js';
import { ZodValidationPipe } from './validation.pipe.js';

const pipe = new ZodValidationPipe();
const body = z.object({ name: z.string().min(1), items: z.array(z.object({ quantity: z.number().int().min(1) })) });

async function fieldErrors(value: unknown, metadata: ArgumentMetadata & { schema?: unknown }) {
  try {
    await pipe.transform(value, metadata);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).errors;
  }
  throw new Error('expected a validation error');
}

describe('ZodValidationPipe', () => {
  it('returns the parsed value (unknown fields dropped) when valid', async () => {
    await expect(
      pipe.transform({ name: 'a', items: [], extra: 1 }, { type: 'body', schema: body } as ArgumentMetadata),
    ).resolves.toEqual({ name: 'a', items: [] });
  });

  it('reports body fields as dotted paths, and the whole body as (body)', async () => {
    const errors = await fieldErrors({ name: '', items: [{ quantity: 0 }] }, { type: 'body', schema: body });
    expect(errors.map((error) => error.field)).toEqual(['name', 'items.0.quantity']);
    expect((await fieldErrors('x', { type: 'body', schema: body })).map((error) => error.field)).toEqual(['(body)']);
  });

  it('reports a named parameter by its name, and query objects by their keys', async () => {
    expect(await fieldErrors('nope', { type: 'param', data: 'id', schema: z.uuid() })).toEqual([
      { field: 'id', message: 'Invalid UUID' },
    ]);
    const query = z.object({ orderId: z.uuid() });
    expect((await fieldErrors({}, { type: 'query', schema: query })).map((error) => error.field)).toEqual(['orderId']);
  });

  it('lets arguments without a schema, and custom decorators, through untouched', async () => {
    await expect(pipe.transform({ anything: true }, { type: 'body' })).resolves.toEqual({ anything: true });
    await expect(pipe.transform('x', { type: 'custom', schema: z.number() } as ArgumentMetadata)).resolves.toBe('x');
  });
});
