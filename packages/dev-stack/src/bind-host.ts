import { isIP } from 'node:net';

/**
 * The address a client on this machine uses to reach a server that listens on `bindHost`: the loopback address of
 * the same family for a wildcard (`0.0.0.0`, `::`), else `bindHost` itself.
 */
export function connectHost(bindHost: string): string {
  if (bindHost === '0.0.0.0') return '127.0.0.1';
  if (bindHost === '::') return '::1';
  return bindHost;
}

/** {@link connectHost} as it goes into a URL (IPv6 addresses in brackets). */
export function urlHost(bindHost: string): string {
  const host = connectHost(bindHost);
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** `http://host:port` for a server listening on `bindHost`. */
export function httpUrl(bindHost: string, port: number): string {
  return `http://${urlHost(bindHost)}:${port}`;
}
