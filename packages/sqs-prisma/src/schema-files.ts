import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { SchemaNotFoundError } from './errors.js';

/** One `.prisma` file of a schema. */
export interface SchemaFile {
  /** Path relative to the schema folder (or the file name for a single-file schema). */
  path: string;
  content: string;
}

/**
 * Reads a Prisma schema: a single file, or a folder searched recursively for
 * `*.prisma` files (Prisma's multi-file schema). Sorted by path.
 */
export async function readSchemaFiles(schemaPath: string): Promise<SchemaFile[]> {
  const absolute = resolve(schemaPath);
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    throw new SchemaNotFoundError(absolute, { cause: error });
  }
  if (info.isFile()) {
    return [{ path: absolute.split(/[\\/]/).pop() ?? 'schema.prisma', content: await readFile(absolute, 'utf8') }];
  }
  const files = (await listPrismaFiles(absolute)).sort();
  if (files.length === 0) throw new SchemaNotFoundError(absolute);
  return Promise.all(
    files.map(async (file) => ({
      path: relative(absolute, file).split('\\').join('/'),
      content: await readFile(file, 'utf8'),
    })),
  );
}

async function listPrismaFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory())
        return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : listPrismaFiles(path);
      return entry.isFile() && entry.name.endsWith('.prisma') ? [path] : [];
    }),
  );
  return nested.flat();
}
