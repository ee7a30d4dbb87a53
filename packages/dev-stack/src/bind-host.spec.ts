import { describe, expect, it } from '@jest/globals';
import { connectHost, httpUrl, urlHost } from './bind-host.js';

describe('bind host', () => {
  it('reaches a wildcard listener over the loopback address of its family', () => {
    expect(connectHost('0.0.0.0')).toBe('127.0.0.1');
    expect(connectHost('::')).toBe('::1');
  });

  it('reaches any other listener at its own address', () => {
    expect(connectHost('127.0.0.1')).toBe('127.0.0.1');
    expect(connectHost('192.168.1.20')).toBe('192.168.1.20');
  });

  it('puts IPv6 addresses in brackets in URLs', () => {
    expect(httpUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000');
    expect(httpUrl('0.0.0.0', 4566)).toBe('http://127.0.0.1:4566');
    expect(httpUrl('::', 3001)).toBe('http://[::1]:3001');
    expect(httpUrl('fd00::5', 3001)).toBe('http://[fd00::5]:3001');
    expect(urlHost('::')).toBe('[::1]');
    expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
  });
});
