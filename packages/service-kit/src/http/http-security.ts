import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';

export interface HttpSecurityOptions {
  /** Proxies in front of the service whose `X-Forwarded-For` names the client (`TRUST_PROXY_HOPS`). Default 0. */
  trustProxyHops?: number;
}

/**
 * The HTTP hardening every service gets: helmet's security headers on every response (`Content-Security-Policy`,
 * `Strict-Transport-Security`, `X-Content-Type-Options: nosniff`, `X-Frame-Options`, `Referrer-Policy`, ... and no
 * `X-Powered-By`), and the client address taken from `X-Forwarded-For` only as far as `trustProxyHops` proxies (a
 * client cannot pick its own address for the per-client rate limit). Error bodies are the exception filter's job
 * ({@link HttpExceptionFilter}); the body size limit is Express's JSON parser's (100 KB, 413 above it).
 */
export function applyHttpSecurity(app: INestApplication, options: HttpSecurityOptions = {}): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', options.trustProxyHops ?? 0);
  // helmet's defaults, minus `upgrade-insecure-requests`: the services speak plain HTTP behind TLS-terminating load
  // balancers and on developers' machines, where it would send /docs's browser to https:// for its scripts.
  express.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
}
