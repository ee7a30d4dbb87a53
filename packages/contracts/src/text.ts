import { z } from 'zod';

/** A UTF-16 surrogate without its other half: JSON can carry it (`"\ud800"`), UTF-8 cannot encode it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Free text of an order or an event, from `min` to `max` characters, refused when a database could not keep it as
 * sent: PostgreSQL's text and jsonb refuse the NUL character (U+0000), which made the insert fail (a 500, or a
 * message retried until it was dead-lettered without a reason), and a lone surrogate was silently stored as U+FFFD.
 */
export function text(limits: { min: number; max: number }) {
  return z
    .string()
    .min(limits.min)
    .max(limits.max)
    .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (U+0000)')
    .refine((value) => !LONE_SURROGATE.test(value), 'must be valid Unicode (no lone surrogate)');
}
