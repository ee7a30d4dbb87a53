// The browser's files are served as written (no bundler): the build copies them next to the compiled server.
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

cpSync(
  fileURLToPath(new URL('../src/public', import.meta.url)),
  fileURLToPath(new URL('../dist/public', import.meta.url)),
  {
    recursive: true,
  },
);
