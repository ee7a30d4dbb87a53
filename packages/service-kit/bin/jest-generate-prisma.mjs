// Jest global setup for a service: generates its Prisma client before the tests import it (offline; ~0.1 s when
// up to date). Jest runs it with the project's config; the service is the folder of that config.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function generatePrismaClient(_globalConfig, projectConfig) {
  const script = fileURLToPath(new URL('./prisma-generate.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script], { cwd: projectConfig.rootDir, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(
      `Generating the Prisma client of ${projectConfig.rootDir} failed (exit ${result.status}); run npm run generate there.`,
    );
  }
}
