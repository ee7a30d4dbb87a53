import { describe, expect, it } from '@jest/globals';
import { bindMounts, compose, composeSchemaProblems, environment, loadComposeFile, service } from './compose-file.js';

describe('compose-file', () => {
  it('reads docker-compose.yml with its YAML merge keys resolved, as Compose does', () => {
    // AWS_REGION comes from the x-service-environment anchor, merged into each service's environment.
    expect(environment('order-service').AWS_REGION).toBe('us-east-1');
    expect(service('order-service').profiles).toEqual(['services']);
    expect(() => service('no-such-service')).toThrow('docker-compose.yml has no service no-such-service');
  });

  it('gives every environment value as a string, and bind mounts as repository paths', () => {
    expect(environment('order-service').MIGRATE_ON_START).toBe('true');
    expect(bindMounts('prometheus')).toEqual([
      ['infra/observability/prometheus.yml', '/etc/prometheus/prometheus.yml'],
    ]);
  });

  it('reads another compose file, and its services by name', () => {
    const { compose: override } = loadComposeFile('infra/observability/compose.tracing.yaml');
    expect(environment('shipping-service', override).OTEL_SERVICE_NAME).toBe('shipping-service');
  });

  it('checks a document against the Compose Specification: the file passes, a misspelt key does not', () => {
    const problems = composeSchemaProblems();
    expect(problems(compose)).toEqual([]);
    const misspelt = structuredClone(compose);
    (misspelt.services.postgres as Record<string, unknown>).healthchek = {};
    expect(problems(misspelt)).toContain('/services/postgres must NOT have additional properties');
  });
});
