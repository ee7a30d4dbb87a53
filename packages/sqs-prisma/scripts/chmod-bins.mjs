// Makes the built command line tools executable (npm links them as bins).
import { chmodSync, readdirSync } from 'node:fs';

const dir = new URL('../dist/bin/', import.meta.url);
for (const file of readdirSync(dir)) {
  if (file.endsWith('.js')) chmodSync(new URL(file, dir), 0o755);
}
