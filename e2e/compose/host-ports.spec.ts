import { describe, expect, it } from '@jest/globals';
import { chooseHostPorts, hostPortsEnv, hostPortsFromEnv, parseHostPort } from './host-ports.js';

describe('host ports of the compose test run', () => {
  const counter = () => {
    let next = 40_000;
    return async () => next++;
  };

  it('keeps the ports the caller set and picks free ones for the rest', async () => {
    const ports = await chooseHostPorts({ POSTGRES_HOST_PORT: '5633', ORDER_HOST_PORT: '' }, counter());
    expect(ports).toEqual({
      POSTGRES_HOST_PORT: 5633,
      SQS_HOST_PORT: 40_000,
      ORDER_HOST_PORT: 40_001,
      SHIPPING_HOST_PORT: 40_002,
      CONSOLE_HOST_PORT: 40_003,
      PROMETHEUS_HOST_PORT: 40_004,
      GRAFANA_HOST_PORT: 40_005,
      JAEGER_HOST_PORT: 40_006,
    });
    expect(hostPortsFromEnv(hostPortsEnv(ports))).toEqual(ports);
  });

  it('refuses a value that is not a port, naming the variable and the range', async () => {
    for (const value of ['0', '65536', 'abc', '54.3', '-1']) {
      expect(() => parseHostPort('SQS_HOST_PORT', value)).toThrow(
        `SQS_HOST_PORT must be a port number from 1 to 65535 (received "${value}").`,
      );
    }
    await expect(chooseHostPorts({ SHIPPING_HOST_PORT: 'x' }, counter())).rejects.toMatchObject({
      code: 'HOST_PORT_INVALID',
    });
  });

  it('refuses the same port for two variables', async () => {
    await expect(chooseHostPorts({ ORDER_HOST_PORT: '3300', SHIPPING_HOST_PORT: '3300' }, counter())).rejects.toThrow(
      'SHIPPING_HOST_PORT and ORDER_HOST_PORT are both 3300',
    );
  });

  it('tells the suite, when a port is missing, to run through npm run test:compose', () => {
    expect(() => hostPortsFromEnv({})).toThrow(/POSTGRES_HOST_PORT is not set.*npm run test:compose/);
  });
});
