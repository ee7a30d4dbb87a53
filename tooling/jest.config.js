// Jest project for the repository's own tooling (lint rules, scripts). It sits one level below the root,
// so the preset's workspace paths (<rootDir>/../../packages/...) are rebased to <rootDir>/../packages/...
import preset from '../jest.preset.js';

const moduleNameMapper = Object.fromEntries(
  Object.entries(preset.moduleNameMapper).map(([pattern, target]) => [
    pattern,
    target.replace('<rootDir>/../../', '<rootDir>/../'),
  ]),
);

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'tooling',
  moduleNameMapper,
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
