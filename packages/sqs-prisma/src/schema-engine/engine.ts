import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { SchemaEngineError } from '../errors.js';
import type { MigrationsDirectory } from '../migrations-directory.js';
import { MIGRATION_LOCK_FILE } from '../migrations-directory.js';
import type { SchemaFile } from '../schema-files.js';
import { createMigrationAdapterFactory } from './pg-migration-adapter.js';

/**
 * Prisma's schema engine, compiled to WebAssembly (`@prisma/schema-engine-wasm`,
 * the engine behind `prisma migrate diff` when a driver adapter is used). It
 * runs offline: no native engine binary is downloaded. This module loads it
 * once per process and runs it against PostgreSQL through a pg driver adapter.
 */

export type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** No externally managed tables or enums. */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

interface PanicRegistry {
  message: string;
  set_message(message: string): void;
}

/** The little of the WebAssembly API used here (this package's TypeScript lib has no WebAssembly types). */
interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
  RuntimeError: new (...args: never[]) => Error;
}

const globals = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry; WebAssembly: WasmApi };

let engineModule: Promise<EngineModule> | undefined;

/**
 * Timers the engine started. It never clears them (e.g. the 10 s timeout
 * that races its advisory lock), which would keep the process alive for that
 * long after the work is done; they are cleared when no engine is running.
 */
const engineTimers = new Set<ReturnType<typeof setTimeout>>();
let runningEngines = 0;

/** The glue's exports, with its setTimeout import tracked in {@link engineTimers}. */
function wasmImports(glue: EngineModule): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => {
      const timer = setTimeout(() => {
        engineTimers.delete(timer);
        callback();
      }, ms >>> 0);
      engineTimers.add(timer);
      return timer;
    };
  }
  return imports;
}

function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    // The engine reports Rust panics here before it traps.
    globals.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(message: string) {
        this.message = message;
      },
    };
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    // The package's own entry imports the .wasm as an ES module, which needs
    // an experimental Node flag and does not load under jest: instantiate it here.
    const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    const { instance } = await globals.WebAssembly.instantiate(bytes, { './schema_engine_bg.js': wasmImports(glue) });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  engineModule.catch(() => {
    engineModule = undefined;
  });
  return engineModule;
}

function engineFailure(operation: string, error: unknown): SchemaEngineError {
  const panic = globals.PRISMA_WASM_PANIC_REGISTRY;
  if (error instanceof globals.WebAssembly.RuntimeError && panic?.message) {
    const message = panic.message;
    panic.message = '';
    return new SchemaEngineError(operation, { cause: new Error(`panic: ${message}`, { cause: error }) });
  }
  return new SchemaEngineError(operation, { cause: error });
}

export interface SchemaEngineOptions {
  /**
   * The database the engine connects to. Shadow databases (used to replay
   * migrations) are created and dropped on the same server.
   */
  databaseUrl: string;
  /** The Prisma schema; it must have a postgresql datasource block. */
  schemaFiles: readonly SchemaFile[];
}

/**
 * Starts the engine, passes it to `fn`, then frees it and closes every
 * connection and shadow database it opened. Engine failures are rethrown as
 * {@link SchemaEngineError}s naming `operation`.
 */
export async function withSchemaEngine<T>(
  options: SchemaEngineOptions,
  operation: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const glue = await loadEngineModule();
  const adapters = createMigrationAdapterFactory(options.databaseUrl);
  let engine: SchemaEngine | undefined;
  runningEngines += 1;
  try {
    engine = await glue.SchemaEngine.new(
      { datamodels: options.schemaFiles.map((file) => [file.path, file.content] as [string, string]) },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(adapters.factory),
    );
    return await fn(engine);
  } catch (error) {
    throw error instanceof SchemaEngineError ? error : engineFailure(operation, error);
  } finally {
    engine?.free();
    await adapters.close();
    runningEngines -= 1;
    if (runningEngines === 0) {
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
    }
  }
}

/** The engine's view of a migrations directory. */
export function toMigrationList(directory: MigrationsDirectory): MigrationList {
  return {
    baseDir: directory.path,
    lockfile: { path: MIGRATION_LOCK_FILE, content: directory.lockfile },
    shadowDbInitScript: '',
    migrationDirectories: directory.migrations.map((migration) => ({
      path: migration.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: migration.script } },
    })),
  };
}

/** The engine's view of a schema. */
export function toSchemasContainer(schemaFiles: readonly SchemaFile[]): { files: SchemaFile[] } {
  return { files: schemaFiles.map((file) => ({ path: file.path, content: file.content })) };
}
