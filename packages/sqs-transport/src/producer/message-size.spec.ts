import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError } from '../errors.js';
import { maxMessageBytesOption, messageSize } from './message-size.js';

describe('messageSize', () => {
  it('counts the body in UTF-8 bytes, not characters', () => {
    expect(messageSize('abc')).toBe(3);
    expect(messageSize('é')).toBe(2);
    expect(messageSize('€')).toBe(3);
    expect(messageSize('📦')).toBe(4);
    expect(messageSize('')).toBe(0);
  });

  it("adds each attribute's name, data type and value", () => {
    expect(messageSize('{}', { type: { DataType: 'String', StringValue: 'order.placed' } })).toBe(2 + 4 + 6 + 12);
    expect(messageSize('', { n: { DataType: 'Number', StringValue: '42' } })).toBe(1 + 6 + 2);
    expect(messageSize('', { blob: { DataType: 'Binary', BinaryValue: new Uint8Array(10) } })).toBe(4 + 6 + 10);
    expect(messageSize('', { 'name-é': { DataType: 'String.custom', StringValue: 'ü' } })).toBe(7 + 13 + 2);
  });

  it('counts an attribute without a value by its name and type', () => {
    expect(messageSize('', { empty: { DataType: 'String' } })).toBe(5 + 6);
  });

  it('takes maxMessageBytes from 1 KiB to 1 MiB, 256 KiB by default', () => {
    expect(maxMessageBytesOption(undefined)).toBe(256 * 1024);
    expect(maxMessageBytesOption(1_024)).toBe(1_024);
    expect(maxMessageBytesOption(1024 * 1024)).toBe(1024 * 1024);
    expect(() => maxMessageBytesOption(1024 * 1024 + 1)).toThrow(
      '"maxMessageBytes": must be an integer from 1024 to 1048576',
    );
    expect(() => maxMessageBytesOption(1_023)).toThrow(InvalidOptionError);
  });
});
