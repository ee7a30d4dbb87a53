import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadConfig } from '@sqsref/service-kit';
import { parseQueueDefinitions } from '@sqsref/sqs-transport';
import { orderServiceEnv } from '../../apps/order-service/src/config.js';
import { shippingServiceEnv } from '../../apps/shipping-service/src/config.js';
import {
  bindMounts,
  compose,
  composeSchemaProblems,
  environment,
  loadComposeFile,
  read,
  root,
  service,
} from './compose-file.js';
import { expandGrafanaIntervals, promqlReferences } from './promql.js';

/**
 * The compose profile `observability` and infra/observability/, checked without Docker (the images cannot be pulled
 * on this project's machines): pinned images, the files each container reads, the scrape targets, the collector's
 * pipeline, and every PromQL expression of the dashboard against the one list of metric names, metrics.json.
 */

const DIR = 'infra/observability';
const PROFILE = 'observability';

interface MetricDefinition {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  labels: string[];
}
const metricsFile = JSON.parse(read(`${DIR}/metrics.json`)) as {
  metrics: MetricDefinition[];
  scrapeLabels: string[];
  queueStates: string[];
};

/** Every series name a metric of metrics.json exposes, with the labels it carries (a histogram's three series). */
function seriesNames(): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const { name, type, labels } of metricsFile.metrics) {
    const all = [...labels, ...metricsFile.scrapeLabels];
    if (type === 'histogram') {
      series.set(`${name}_bucket`, new Set([...all, 'le']));
      series.set(`${name}_sum`, new Set(all));
      series.set(`${name}_count`, new Set(all));
    } else {
      series.set(name, new Set(all));
    }
  }
  return series;
}

const profileServices = Object.entries(compose.services)
  .filter(([, definition]) => definition.profiles?.includes(PROFILE))
  .map(([name]) => name);

describe('infra/observability/metrics.json', () => {
  it('lists each metric once, named as Prometheus expects for its type, with bounded labels', () => {
    const names = metricsFile.metrics.map((metric) => metric.name);
    expect(new Set(names).size).toBe(names.length);
    for (const { name, type, labels } of metricsFile.metrics) {
      expect([name, /^[a-z_][a-z0-9_]*$/.test(name)]).toEqual([name, true]);
      // Counters end in _total; histograms carry a base unit; no label that names one order or message.
      if (type === 'counter') expect(name).toMatch(/_total$/);
      if (type === 'histogram') expect(name).toMatch(/_seconds$/);
      for (const label of labels) expect(['id', 'order_id', 'message_id', 'event_id']).not.toContain(label);
    }
  });

  it("holds the contract's transport, outbox, queue-depth and HTTP metrics", () => {
    const names = metricsFile.metrics.map((metric) => metric.name);
    for (const name of [
      'sqs_consumer_messages_received_total',
      'sqs_consumer_messages_processed_total',
      'sqs_consumer_messages_failed_total',
      'sqs_consumer_messages_retried_total',
      'sqs_consumer_messages_dead_lettered_total',
      'sqs_consumer_visibility_extended_total',
      'sqs_consumer_leases_lost_total',
      'sqs_consumer_duplicates_absorbed_total',
      'sqs_consumer_handler_duration_seconds',
      'sqs_consumer_message_age_seconds',
      'sqs_outbox_backlog_rows',
      'sqs_outbox_oldest_pending_age_seconds',
      'sqs_outbox_sent_total',
      'sqs_outbox_parked_total',
      'sqs_queue_messages',
      'http_server_request_duration_seconds',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('the compose profile observability', () => {
  it('runs Prometheus, Grafana, an OpenTelemetry collector and Jaeger, each pinned to a version', () => {
    expect(profileServices.sort()).toEqual(['grafana', 'jaeger', 'otel-collector', 'prometheus']);
    for (const name of profileServices) {
      const image = service(name).image ?? '';
      // A version tag (never latest or a bare major), and a digest where the project publishes one with its release.
      expect([name, image]).toEqual([
        name,
        expect.stringMatching(/^[a-z0-9./-]+:v?\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$/),
      ]);
    }
    for (const name of ['prometheus', 'grafana', 'otel-collector']) {
      expect([name, service(name).image]).toEqual([name, expect.stringMatching(/@sha256:[0-9a-f]{64}$/)]);
    }
    // The rest of the stack is not in the profile: it adds to `up` with the other profiles, never replaces them.
    expect(Object.keys(compose.services).filter((name) => !profileServices.includes(name))).toEqual(
      expect.arrayContaining(['postgres', 'order-service', 'shipping-service']),
    );
  });

  it('mounts only files and folders of infra/observability that exist', () => {
    for (const name of profileServices) {
      for (const [source] of bindMounts(name)) {
        expect([name, source.startsWith(`${DIR}/`), existsSync(join(root, source))]).toEqual([name, true, true]);
      }
    }
  });

  it('gives Prometheus its scrape config and the collector its config, at the paths the images read by default', () => {
    expect(new Map(bindMounts('prometheus')).get(`${DIR}/prometheus.yml`)).toBe('/etc/prometheus/prometheus.yml');
    expect(new Map(bindMounts('otel-collector')).get(`${DIR}/otel-collector.yaml`)).toBe(
      '/etc/otelcol-contrib/config.yaml',
    );
  });

  it('provisions the Prometheus datasource and the dashboards folder in Grafana', () => {
    const mounts = new Map(bindMounts('grafana'));
    expect(mounts.get(`${DIR}/grafana/provisioning`)).toBe('/etc/grafana/provisioning');
    const dashboardsMount = mounts.get(`${DIR}/grafana/dashboards`);
    const providers = parseDocument(read(`${DIR}/grafana/provisioning/dashboards/dashboards.yaml`)).toJS() as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(providers.providers.map((provider) => [provider.type, provider.options.path])).toEqual([
      ['file', dashboardsMount],
    ]);
    const home = environment('grafana').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(home.startsWith(`${dashboardsMount}/`)).toBe(true);
    expect(existsSync(join(root, `${DIR}/grafana/dashboards`, home.slice(`${dashboardsMount}/`.length)))).toBe(true);

    const { datasources } = parseDocument(read(`${DIR}/grafana/provisioning/datasources/datasources.yaml`)).toJS() as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    const prometheus = datasources.find((datasource) => datasource.type === 'prometheus');
    expect(prometheus?.uid).toBe('prometheus');
    // Datasources reach the other containers by their compose names and container ports.
    for (const datasource of datasources) {
      const { hostname } = new URL(datasource.url);
      expect(profileServices).toContain(hostname);
    }
    expect(new URL(prometheus?.url ?? '').port).toBe('9090');
  });

  it('publishes Grafana on the port it listens on, not on the order service port', () => {
    const port = environment('grafana').GF_SERVER_HTTP_PORT;
    expect(service('grafana').ports).toEqual([`127.0.0.1:\${GRAFANA_HOST_PORT:-${port}}:${port}`]);
    expect(port).not.toBe('3000');
  });
});

describe('infra/observability/prometheus.yml', () => {
  const document = parseDocument(read(`${DIR}/prometheus.yml`));
  const config = document.toJS() as {
    global: { scrape_interval: string; scrape_timeout?: string };
    scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
  };

  it('parses, with one job per service', () => {
    expect([...document.errors, ...document.warnings].map(String)).toEqual([]);
    expect(config.scrape_configs.map((job) => job.job_name).sort()).toEqual(['order-service', 'shipping-service']);
  });

  it.each([
    { name: 'order-service', shape: orderServiceEnv },
    { name: 'shipping-service', shape: shippingServiceEnv },
  ])("scrapes $name's GET /metrics on the port the service listens on in compose", ({ name, shape }) => {
    const job = config.scrape_configs.find((candidate) => candidate.job_name === name);
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    const { PORT } = loadConfig(name, shape, environment(name));
    expect(job?.static_configs.flatMap((entry) => entry.targets)).toEqual([`${name}:${PORT}`]);
    // The port compose publishes for the service is the same one.
    expect(service(name).ports?.[0]).toMatch(new RegExp(`:${PORT}$`));
  });
});

describe('infra/observability/otel-collector.yaml', () => {
  const document = parseDocument(read(`${DIR}/otel-collector.yaml`));
  type Components = Record<string, unknown>;
  const config = document.toJS() as {
    receivers: Components;
    processors?: Components;
    exporters: Components;
    service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
  };
  const kind = (id: string) => id.split('/')[0];

  it('parses, and every pipeline uses only components it defines, and uses each of them', () => {
    expect([...document.errors, ...document.warnings].map(String)).toEqual([]);
    const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
    for (const pipeline of Object.values(config.service.pipelines)) {
      for (const id of pipeline.receivers) used.receivers.add(id);
      for (const id of pipeline.processors ?? []) used.processors.add(id);
      for (const id of pipeline.exporters) used.exporters.add(id);
    }
    expect([...used.receivers].sort()).toEqual(Object.keys(config.receivers).sort());
    expect([...used.processors].sort()).toEqual(Object.keys(config.processors ?? {}).sort());
    expect([...used.exporters].sort()).toEqual(Object.keys(config.exporters).sort());
    expect(Object.keys(config.service.pipelines)).toEqual(['traces']);
  });

  it('uses component types of the pinned contrib image, by their current names', () => {
    // As of collector 0.144 the gRPC OTLP exporter is `otlp_grpc` (`otlp` is a deprecated alias that logs warnings).
    const known = {
      receivers: ['otlp'],
      processors: ['batch', 'memory_limiter'],
      exporters: ['otlp_grpc', 'otlp_http', 'debug'],
    };
    for (const id of Object.keys(config.receivers)) expect(known.receivers).toContain(kind(id));
    for (const id of Object.keys(config.processors ?? {})) expect(known.processors).toContain(kind(id));
    for (const id of Object.keys(config.exporters)) expect(known.exporters).toContain(kind(id));
    expect(service('otel-collector').image).toMatch(/:0\.(1[5-9]\d|14[4-9])\.\d+@/);
  });

  it('receives OTLP on the standard ports and forwards to Jaeger by its compose name', () => {
    const otlp = config.receivers.otlp as { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } };
    expect(otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    const forward = Object.entries(config.exporters).find(([id]) => kind(id) === 'otlp_grpc')?.[1] as
      { endpoint: string } | undefined;
    expect(forward?.endpoint).toBe('jaeger:4317');
    expect(profileServices).toContain('jaeger');
  });
});

describe('infra/observability/compose.tracing.yaml', () => {
  const { document, compose: override } = loadComposeFile(`${DIR}/compose.tracing.yaml`);
  const otelVariables = [
    'OTEL_SERVICE_NAME',
    'OTEL_TRACES_EXPORTER',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    'OTEL_METRICS_EXPORTER',
    'OTEL_LOGS_EXPORTER',
  ];

  it('is a valid compose file that changes only the environment of both services', () => {
    expect([...document.errors, ...document.warnings].map(String)).toEqual([]);
    expect(composeSchemaProblems()(override)).toEqual([]);
    expect(Object.keys(override.services).sort()).toEqual(['order-service', 'shipping-service']);
    for (const definition of Object.values(override.services)) expect(Object.keys(definition)).toEqual(['environment']);
  });

  it.each(['order-service', 'shipping-service'])(
    'points %s at the collector with the standard OTEL_* variables, which docker-compose.yml does not set',
    (name) => {
      const env = environment(name, override);
      // The OTEL_* variables, and Node 22's AsyncLocalStorage without promise hooks for the traced services.
      expect(Object.keys(env).sort()).toEqual([...otelVariables, 'NODE_OPTIONS'].sort());
      expect(env.NODE_OPTIONS).toBe('--experimental-async-context-frame');
      expect(env.OTEL_SERVICE_NAME).toBe(name);
      expect(env.OTEL_TRACES_EXPORTER).toBe('otlp');
      const endpoint = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
      expect(endpoint.hostname).toBe('otel-collector');
      // OTLP over HTTP goes to 4318, the port the collector's http receiver listens on.
      expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('http/protobuf');
      expect(endpoint.port).toBe('4318');
      // Without the override, exporting stays off.
      expect(Object.keys(environment(name)).filter((key) => key.startsWith('OTEL_'))).toEqual([]);
    },
  );
});

describe('infra/observability/grafana/dashboards', () => {
  const folder = join(root, DIR, 'grafana/dashboards');
  const files = readdirSync(folder).filter((file) => file.endsWith('.json'));
  const series = seriesNames();

  interface Target {
    expr?: string;
    refId: string;
    datasource?: { type: string; uid: string };
  }
  interface Panel {
    id: number;
    type: string;
    title: string;
    gridPos: { h: number; w: number; x: number; y: number };
    targets?: Target[];
    datasource?: { type: string; uid: string };
  }
  interface Dashboard {
    uid: string;
    title: string;
    panels: Panel[];
    templating: { list: Array<{ name: string; query: { query: string } | string }> };
  }
  const dashboards = files.map((file) => ({
    file,
    dashboard: JSON.parse(read(`${DIR}/grafana/dashboards/${file}`)) as Dashboard,
  }));

  it('holds at least one dashboard, each valid JSON with a unique uid and unique panel ids inside the grid', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    expect(new Set(dashboards.map(({ dashboard }) => dashboard.uid)).size).toBe(dashboards.length);
    for (const { dashboard } of dashboards) {
      const ids = dashboard.panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of dashboard.panels) {
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
        if (panel.type !== 'row') {
          expect([panel.title, panel.datasource?.uid, (panel.targets ?? []).length > 0]).toEqual([
            panel.title,
            'prometheus',
            true,
          ]);
        }
      }
    }
  });

  /** Every PromQL expression of a dashboard: panel targets and the template variables' `label_values` queries. */
  function expressions(dashboard: Dashboard): Array<{ where: string; expr: string }> {
    const found: Array<{ where: string; expr: string }> = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        found.push({ where: `${panel.title} ${target.refId}`, expr: target.expr ?? '' });
      }
    }
    for (const variable of dashboard.templating.list) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
      // label_values(metric, label) is Grafana's; its metric is checked as the selector `metric{label!=""}`.
      const [, metric = '', label = ''] = /^label_values\(\s*(\w+)\s*,\s*(\w+)\s*\)$/.exec(query) ?? [];
      found.push({ where: `variable ${variable.name}`, expr: metric ? `${metric}{${label}!=""}` : query });
    }
    return found;
  }

  it('parses every PromQL expression, which uses only the metric names and labels of metrics.json', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { file, dashboard } of dashboards) {
      for (const { where, expr } of expressions(dashboard)) {
        checked += 1;
        const { metrics, labels, errors } = promqlReferences(expandGrafanaIntervals(expr));
        for (const error of errors) problems.push(`${file} ${where}: does not parse at ${error}`);
        if (metrics.length === 0) problems.push(`${file} ${where}: selects no metric`);
        for (const metric of metrics) {
          if (!series.has(metric)) problems.push(`${file} ${where}: ${metric} is not in metrics.json`);
        }
        // A label must exist on at least one metric the expression selects.
        const available = new Set(metrics.flatMap((metric) => [...(series.get(metric) ?? [])]));
        for (const label of labels) {
          if (!available.has(label))
            problems.push(`${file} ${where}: label ${label} is on none of ${metrics.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it('shows every transport metric of the contract somewhere', () => {
    const used = new Set(
      dashboards.flatMap(({ dashboard }) =>
        expressions(dashboard).flatMap(({ expr }) => promqlReferences(expandGrafanaIntervals(expr)).metrics),
      ),
    );
    const shown = metricsFile.metrics
      .map((metric) => metric.name)
      .filter((name) => used.has(name) || used.has(`${name}_bucket`) || used.has(`${name}_count`));
    expect(metricsFile.metrics.map((metric) => metric.name).filter((name) => !shown.includes(name))).toEqual([]);
  });

  it('finds the DLQs of infra/queues.json with its DLQ filter, and none of the main queues', () => {
    const definitions = parseQueueDefinitions(JSON.parse(read('infra/queues.json')));
    const expressionsText = dashboards.flatMap(({ dashboard }) => expressions(dashboard).map(({ expr }) => expr));
    const dlqFilter = expressionsText
      .map((expr) => /queue=~"([^"]*dlq[^"]*)"/.exec(expr)?.[1])
      .find((pattern) => pattern !== undefined);
    expect(dlqFilter).toBeDefined();
    // PromQL string escapes (\\ for \) first, then Prometheus anchors the regular expression at both ends.
    const pattern = new RegExp(`^(?:${(dlqFilter ?? '').replace(/\\\\/g, '\\')})$`);
    for (const queue of definitions.queues) {
      expect([queue.name, pattern.test(queue.name)]).toEqual([queue.name, false]);
      if (queue.deadLetter)
        expect([queue.deadLetter.name, pattern.test(queue.deadLetter.name)]).toEqual([queue.deadLetter.name, true]);
    }
  });

  it('filters sqs_queue_messages only by the states the contract names', () => {
    for (const { dashboard } of dashboards) {
      for (const { expr } of expressions(dashboard)) {
        for (const match of expr.matchAll(/state="(\w+)"/g)) expect(metricsFile.queueStates).toContain(match[1]);
      }
    }
  });
});
