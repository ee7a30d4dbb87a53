import { InvalidOptionError, stringOption } from '@sqsref/sqs-transport/common';

/**
 * PostgreSQL's own option checks. The general ones (`integerOption`, `stringOption`, ...) are the transport's, from
 * `@sqsref/sqs-transport/common`, so both packages throw the same `InvalidOptionError`.
 */

/** Checks that `value` is a PostgreSQL connection URL (postgres:// or postgresql://). */
export function postgresUrl(option: string, value: unknown): string {
  const url = stringOption(option, value);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError(option, 'must be a postgres:// or postgresql:// URL', redactUrl(url));
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InvalidOptionError(option, 'must be a postgres:// or postgresql:// URL', redactUrl(url));
  }
  return url;
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
