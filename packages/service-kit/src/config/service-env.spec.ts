import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors.js';
import { loadConfig } from './env.js';
import { databaseUrlOf, serviceEnv } from './service-env.js';

const shape = serviceEnv({ port: 3000 });

describe('DATABASE_PASSWORD', () => {
  it('is unset by default: the URL is used as given', () => {
    const config = loadConfig('svc', shape, { DATABASE_URL: 'postgres://orders:inline@db:5432/orders' });
    expect(config.DATABASE_PASSWORD).toBeUndefined();
    expect(databaseUrlOf(config)).toBe('postgres://orders:inline@db:5432/orders');
  });

  it("replaces the URL's password, URL-encoded, and keeps every other part", () => {
    const config = loadConfig('svc', shape, {
      DATABASE_URL: 'postgres://order_service@db.internal:5432/orders?uselibpqcompat=true&sslmode=require',
      DATABASE_PASSWORD: 'p@ss:w/rd%?#',
    });
    const url = new URL(databaseUrlOf(config));
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd%?#');
    expect(url.username).toBe('order_service');
    expect(url.host).toBe('db.internal:5432');
    expect(url.pathname).toBe('/orders');
    expect(url.search).toBe('?uselibpqcompat=true&sslmode=require');
  });

  it('is never echoed when it is invalid', () => {
    const secret = 'x'.repeat(1_025);
    let error: unknown;
    try {
      loadConfig('svc', shape, { DATABASE_URL: 'postgres://u@db/x', DATABASE_PASSWORD: secret });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(
      'DATABASE_PASSWORD: must be at most 1024 characters (received 1025)',
    );
    expect((error as ConfigError).message).not.toContain('xxxxxxxx');
  });
});

describe('TRUST_PROXY_HOPS', () => {
  it('is 0 by default and at most 10', () => {
    expect(loadConfig('svc', shape, { DATABASE_URL: 'postgres://u@db/x' }).TRUST_PROXY_HOPS).toBe(0);
    expect(() => loadConfig('svc', shape, { DATABASE_URL: 'postgres://u@db/x', TRUST_PROXY_HOPS: '11' })).toThrow(
      'TRUST_PROXY_HOPS: must be an integer from 0 to 10',
    );
  });
});
