import { describe, expect, it } from '@jest/globals';
import { InvalidEnvelopeError, InvalidJsonError } from '../errors.js';
import { createEnvelope } from '../producer/envelope.js';
import { parseEnvelope } from './parse-envelope.js';

describe('parseEnvelope', () => {
  it('round-trips a created envelope', () => {
    const envelope = createEnvelope({
      type: 'order.placed',
      payload: { items: [{ sku: 'A', quantity: 2 }] },
      causationId: 'c',
    });
    expect(parseEnvelope(JSON.stringify(envelope))).toEqual(envelope);
  });

  it('defaults a missing correlation id to the event id and a missing causation id to null', () => {
    const parsed = parseEnvelope(JSON.stringify({ id: 'e1', type: 't', version: 2, occurredAt: 'now', payload: null }));
    expect(parsed).toEqual({
      id: 'e1',
      type: 't',
      version: 2,
      occurredAt: 'now',
      correlationId: 'e1',
      causationId: null,
      payload: null,
    });
  });

  it.each([['{not json'], [''], [undefined]])(
    'rejects a body that is not JSON (%p) as non-retryable INVALID_JSON',
    (body) => {
      let error: unknown;
      try {
        parseEnvelope(body);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidJsonError);
      expect(error).toMatchObject({ code: 'INVALID_JSON', retryable: false });
      expect((error as InvalidJsonError).cause).toBeInstanceOf(SyntaxError);
    },
  );

  it.each([['null'], ['[]'], ['42'], ['"text"']])('rejects JSON that is not an object (%s)', (body) => {
    expect(() => parseEnvelope(body)).toThrow(InvalidEnvelopeError);
    expect(() => parseEnvelope(body)).toThrow('Message body is not a valid envelope: the body must be a JSON object.');
  });

  it('lists every problem of an invalid envelope', () => {
    let error: InvalidEnvelopeError | undefined;
    try {
      parseEnvelope(JSON.stringify({ id: '', version: 0, correlationId: 5, causationId: false }));
    } catch (caught) {
      error = caught as InvalidEnvelopeError;
    }
    expect(error).toBeInstanceOf(InvalidEnvelopeError);
    expect(error).toMatchObject({ code: 'INVALID_ENVELOPE', retryable: false });
    expect(error?.problems).toEqual([
      '"id" must be a non-empty string',
      '"type" must be a non-empty string',
      '"occurredAt" must be a non-empty string',
      '"version" must be an integer >= 1',
      '"payload" is missing',
      '"correlationId" must be a string',
      '"causationId" must be a string or null',
    ]);
  });

  it.each([[1.5], ['1'], [null]])('rejects version %p', (version) => {
    const body = JSON.stringify({ id: 'e', type: 't', occurredAt: 'x', payload: {}, version });
    expect(() => parseEnvelope(body)).toThrow('"version" must be an integer >= 1');
  });

  it.each([
    ['id', 'e\u0000'],
    ['type', 't\ud800'],
    ['occurredAt', '\u0007'],
    ['correlationId', '\u0000'],
    ['causationId', 'c\uffff'],
  ])('rejects a %s holding a character SQS does not allow (%j), which would fail later writes', (field, value) => {
    const body = JSON.stringify({ id: 'e', type: 't', occurredAt: 'x', version: 1, payload: {}, [field]: value });
    expect(() => parseEnvelope(body)).toThrow(
      `"${field}" holds a character SQS does not allow (a control character or a lone surrogate)`,
    );
  });

  it('accepts ids with emoji and other characters SQS allows', () => {
    const body = JSON.stringify({
      id: 'e-\u{1F600}',
      type: 't',
      occurredAt: 'x',
      version: 1,
      payload: {},
      correlationId: 'é\t',
    });
    expect(parseEnvelope(body)).toMatchObject({ id: 'e-\u{1F600}', correlationId: 'é\t' });
  });

  it('accepts a null payload and a null causation id', () => {
    const body = JSON.stringify({ id: 'e', type: 't', occurredAt: 'x', version: 1, payload: null, causationId: null });
    expect(parseEnvelope(body).payload).toBeNull();
  });
});
