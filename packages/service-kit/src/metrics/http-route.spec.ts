import { describe, expect, it } from '@jest/globals';
import type { RoutedRequest } from './http-route.js';
import { methodOf, routeOf, UNMATCHED_ROUTE } from './http-route.js';

const request = (fields: Partial<RoutedRequest>): RoutedRequest => fields as RoutedRequest;

describe('HTTP labels', () => {
  it('names a request by its route template, never its path', () => {
    expect(routeOf(request({ route: { path: '/orders/:id' }, baseUrl: '' }))).toBe('/orders/:id');
    expect(routeOf(request({ route: { path: '/:id' }, baseUrl: '/orders' }))).toBe('/orders/:id');
    expect(routeOf(request({ url: '/no/such/path/123' }))).toBe(UNMATCHED_ROUTE);
  });

  it('keeps standard methods and folds the rest into OTHER', () => {
    expect(methodOf(request({ method: 'POST' }))).toBe('POST');
    expect(methodOf(request({ method: 'PROPFIND' }))).toBe('OTHER');
    expect(methodOf(request({}))).toBe('OTHER');
  });
});
