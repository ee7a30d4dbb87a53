import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The file and Node flags to fork a sibling module of this package: the built
 * `.js` normally, or the `.ts` source through the repo's TypeScript loader when
 * running from source (this package's tests).
 */
export function childEntry(moduleName: string): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL(`./${moduleName}.js`, import.meta.url));
  if (existsSync(built)) return { file: built, execArgv: [] };
  const loader = fileURLToPath(new URL('../../../tooling/ts-loader/register.mjs', import.meta.url));
  return {
    file: fileURLToPath(new URL(`./${moduleName}.ts`, import.meta.url)),
    execArgv: ['--import', loader, '--no-warnings'],
  };
}
