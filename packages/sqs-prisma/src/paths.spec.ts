import { describe, it, expect } from '@jest/globals';
import { existsSync } from 'node:fs';
import { sqsPrismaPaths } from './paths.js';

describe('sqsPrismaPaths', () => {
  it('points at the models file, the schema folder and the migrations', () => {
    expect(sqsPrismaPaths.modelsFile).toMatch(/prisma\/schema\/sqs\.prisma$/);
    for (const path of Object.values(sqsPrismaPaths)) expect(existsSync(path)).toBe(true);
  });
});
