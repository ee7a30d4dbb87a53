import { randomUUID } from 'node:crypto';

const CUSTOMERS = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra'];
const SKUS = ['BOOK-1', 'MUG-2', 'PEN-3', 'LAMP-4'];

/** A valid `POST /orders` body for demo order number `index` (varied, deterministic). */
export function demoOrderBody(index: number) {
  const name = CUSTOMERS[index % CUSTOMERS.length] ?? 'Ada Lovelace';
  return {
    customerId: `console-demo-${(index % CUSTOMERS.length) + 1}`,
    items: [{ sku: SKUS[index % SKUS.length] ?? 'BOOK-1', quantity: (index % 3) + 1 }],
    shippingAddress: { name, line1: '1 Demo Street', city: 'Berlin', postalCode: '10115', country: 'DE' },
  };
}

/** An idempotency key for one click's order: a retried request of the same click places it once. */
export function demoIdempotencyKey(): string {
  return `console-${randomUUID()}`;
}
