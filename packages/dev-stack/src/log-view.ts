/**
 * How `npm start` shows the services' output. The services always log JSON lines (pino); `compact` turns them into
 * one line per order step and shows warnings and errors in full, `json` passes every line on, prefixed with the
 * service's name.
 */
export type LogView = 'compact' | 'json';

/** `npm start -- --json`, or a `LOG_LEVEL` set for the services, asks for the raw JSON lines; else the compact view. */
export function chooseLogView(json: boolean, env: NodeJS.ProcessEnv): LogView {
  return json || (env.LOG_LEVEL ?? '').trim() !== '' ? 'json' : 'compact';
}

/** Formats one line of `service`'s output for `view`; undefined leaves it out. */
export function formatServiceLine(view: LogView, service: string, line: string): string | undefined {
  return view === 'json' ? `[${service}] ${line}` : compactLine(service, line);
}

const PINO_LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const SHOWN_IN_FULL = new Set(['warn', 'error', 'fatal']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The compact view of one line: a step of an order (a message handled, or a request that changes something) as
 * `time  service  order id  event  duration`; a warning or error with every field; where a service listens.
 * Everything else at info level and below (framework start-up, route mapping, reads) is left out. A line that is not
 * a JSON object (a crash on stderr) is shown as it is.
 */
export function compactLine(service: string, line: string): string | undefined {
  if (line.trim() === '') return undefined;
  const record = parseObject(line);
  const name = service.padEnd(8);
  if (!record) return `${''.padEnd(12)}  ${name}  ${line}`;
  const { level, time, service: _service, msg, ...fields } = record;
  const levelName = typeof level === 'number' ? (PINO_LEVELS[level] ?? String(level)) : String(level ?? 'info');
  const at = typeof time === 'string' && /^\d{4}-\d\d-\d\dT/.test(time) ? time.slice(11, 23) : ''.padEnd(12);
  const text = typeof msg === 'string' ? msg : '';

  if (SHOWN_IN_FULL.has(levelName)) {
    const rest = Object.keys(fields).length > 0 ? `  ${JSON.stringify(fields)}` : '';
    return `${at}  ${name}  ${levelName.toUpperCase()}  ${text}${rest}`;
  }
  if (text === 'event completed' && typeof fields.eventType === 'string') {
    return step(at, name, string(fields.groupId), fields.eventType, fields.responseTime);
  }
  if (text === 'request completed') {
    const req = object(fields.req);
    const res = object(fields.res);
    const method = string(req.method);
    if (!method || READ_ONLY_METHODS.has(method)) return undefined;
    const url = string(req.url) ?? '';
    const orderId = (string(object(res.headers).location) ?? url).match(UUID)?.[0];
    return step(
      at,
      name,
      orderId,
      `${method} ${url.replace(UUID, ':id')} ${String(res.statusCode ?? '')}`,
      fields.responseTime,
    );
  }
  if (text === 'listening' && typeof fields.url === 'string') return `${at}  ${name}  listening on ${fields.url}`;
  return undefined;
}

function step(at: string, name: string, orderId: string | undefined, event: string, duration: unknown): string {
  const ms = typeof duration === 'number' ? `${Math.round(duration)} ms` : '';
  return `${at}  ${name}  ${(orderId ?? '-').padEnd(36)}  ${event.padEnd(30)}  ${ms.padStart(8)}`.trimEnd();
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function object(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
