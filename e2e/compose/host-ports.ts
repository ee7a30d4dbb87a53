import { freePort } from '@sqsref/sqs-transport/testing';

/**
 * The variables that choose the host side of every port docker-compose.yml publishes (on 127.0.0.1), with the
 * defaults the file documents. tooling/infra/compose.spec.ts checks that the file uses exactly these.
 */
export const HOST_PORT_DEFAULTS = {
  POSTGRES_HOST_PORT: 5432,
  SQS_HOST_PORT: 4566,
  ORDER_HOST_PORT: 3000,
  SHIPPING_HOST_PORT: 3001,
  CONSOLE_HOST_PORT: 3002,
  // The profile `observability` (infra/observability/README.md).
  PROMETHEUS_HOST_PORT: 9090,
  GRAFANA_HOST_PORT: 3003,
  JAEGER_HOST_PORT: 16686,
} as const;

export type HostPortVariable = keyof typeof HOST_PORT_DEFAULTS;
export type HostPorts = Record<HostPortVariable, number>;

const VARIABLES = Object.keys(HOST_PORT_DEFAULTS) as HostPortVariable[];

/** A host-port variable that is not a port number, or missing where the suite needs it. */
export class HostPortError extends Error {
  readonly code = 'HOST_PORT_INVALID';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HostPortError';
  }
}

/** `value` of the variable `name` as a port: an integer from 1 to 65535. */
export function parseHostPort(name: HostPortVariable, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new HostPortError(`${name} must be a port number from 1 to 65535 (received "${value}").`);
  }
  return port;
}

/**
 * The host ports for a test run: each variable set in `env` is kept (validated), and each one that is not gets a
 * free port, so the run never clashes with a local PostgreSQL or a stack already on the defaults.
 */
export async function chooseHostPorts(
  env: Readonly<Record<string, string | undefined>>,
  pickFreePort: () => Promise<number> = freePort,
): Promise<HostPorts> {
  const chosen: Partial<HostPorts> = {};
  for (const name of VARIABLES) {
    const value = env[name];
    chosen[name] = value === undefined || value === '' ? await pickFreePort() : parseHostPort(name, value);
  }
  const ports = chosen as HostPorts;
  const taken = new Map<number, HostPortVariable>();
  for (const name of VARIABLES) {
    const other = taken.get(ports[name]);
    if (other) throw new HostPortError(`${name} and ${other} are both ${ports[name]}: give each its own port.`);
    taken.set(ports[name], name);
  }
  return ports;
}

/** The ports the runner chose, as the suite reads them back from its environment: every variable must be set. */
export function hostPortsFromEnv(env: Readonly<Record<string, string | undefined>>): HostPorts {
  const ports: Partial<HostPorts> = {};
  for (const name of VARIABLES) {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new HostPortError(
        `${name} is not set: the compose suite runs against the stack \`npm run test:compose\` starts; run it that way.`,
      );
    }
    ports[name] = parseHostPort(name, value);
  }
  return ports as HostPorts;
}

/** The ports as environment variables, for `docker compose` (interpolation) and the suite. */
export function hostPortsEnv(ports: HostPorts): Record<HostPortVariable, string> {
  return Object.fromEntries(VARIABLES.map((name) => [name, String(ports[name])])) as Record<HostPortVariable, string>;
}
