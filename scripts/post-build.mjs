// Trunk's post-build hook: the steps in order (Trunk starts hooks of one stage side by side, and
// both steps rewrite index.html). First the module is split at its lazy routes, then the inline
// loader script is moved into a file for the strict CSP.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const step of ['wasm-split.mjs', 'csp-loader.mjs']) {
  execFileSync(process.execPath, [join(here, step)], { stdio: 'inherit' });
}
