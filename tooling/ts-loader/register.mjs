// `node --import ./tooling/ts-loader/register.mjs file.ts`: runs this repo's TypeScript directly (see hooks.mjs).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
