import { describe, it, expect, afterEach } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaNotFoundError } from './errors.js';
import { readSchemaFiles } from './schema-files.js';

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('readSchemaFiles', () => {
  it('reads a single schema file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sqs-prisma-schema-'));
    created.push(dir);
    await writeFile(join(dir, 'schema.prisma'), 'model A { id Int @id }');
    expect(await readSchemaFiles(join(dir, 'schema.prisma'))).toEqual([
      { path: 'schema.prisma', content: 'model A { id Int @id }' },
    ]);
  });

  it('reads every .prisma file of a folder, recursively and sorted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sqs-prisma-schema-'));
    created.push(dir);
    await mkdir(join(dir, 'models'));
    await writeFile(join(dir, 'schema.prisma'), 'datasource db { provider = "postgresql" }');
    await writeFile(join(dir, 'models', 'a.prisma'), 'model A { id Int @id }');
    await writeFile(join(dir, 'notes.md'), 'ignored');
    const files = await readSchemaFiles(dir);
    expect(files.map((f) => f.path)).toEqual(['models/a.prisma', 'schema.prisma']);
  });

  it('fails with SCHEMA_NOT_FOUND for a missing path or an empty folder', async () => {
    await expect(readSchemaFiles('/nonexistent/schema.prisma')).rejects.toBeInstanceOf(SchemaNotFoundError);
    const dir = await mkdtemp(join(tmpdir(), 'sqs-prisma-schema-'));
    created.push(dir);
    await expect(readSchemaFiles(dir)).rejects.toMatchObject({ code: 'SCHEMA_NOT_FOUND' });
  });

  it('reads the package schema folder', async () => {
    const files = await readSchemaFiles(new URL('../prisma/schema', import.meta.url).pathname);
    expect(files.map((f) => f.path)).toEqual(['package.prisma', 'sqs.prisma']);
  });
});
