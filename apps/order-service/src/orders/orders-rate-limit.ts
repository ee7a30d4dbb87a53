import { rateLimitGuard } from '@sqsref/service-kit';
import type { OrderServiceConfig } from '../config.js';

/**
 * The per-client rate limit of `POST /orders`: `ORDERS_RATE_LIMIT_PER_MINUTE` per client address per minute in this
 * process (with N tasks a client gets up to N times as many: put a shared limit, e.g. AWS WAF, in front for a global
 * one). Off when 0, the default.
 */
export const OrdersRateLimitGuard = rateLimitGuard((config: OrderServiceConfig) => config.ORDERS_RATE_LIMIT_PER_MINUTE);
