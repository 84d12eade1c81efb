// Trunk post-build step (run by scripts/post-build.mjs): splits the app's module at its lazy
// routes (src/views/lazy.rs), so that the first page downloads only what the operations view
// needs and each other route's code is fetched the first time it opens.
//
// Trunk builds, binds and stages the app as one module; this step takes the same cargo output
// (linked with `--emit-relocs`, see build.rs), cuts it with `wasm-split-cli` (crates.io
// `wasm_split_cli_support`, the splitter cargo-leptos uses), binds the main part with wasm-bindgen
// (`--keep-lld-exports`: the parts share its memory, table and exports), runs wasm-opt on every
// part (release), and writes the result over Trunk's files under Trunk's names. The split parts
// and their loader get content hashes in their names, so a cached part of an older build is never
// combined with a newer main module; the `integrity` attributes in index.html are recomputed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = process.env;
const dir = env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('wasm-split: TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
const src = env.TRUNK_SOURCE_DIR || process.cwd();
const profile = env.TRUNK_PROFILE === 'debug' ? 'debug' : 'release';

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

// The project's own tools first (.tools/bin holds binaryen's wasm-opt from npm), then PATH.
function tool(name) {
  const dirs = [join(src, '.tools', 'bin'), ...(env.PATH || '').split(':').filter(Boolean)];
  const found = dirs.map((d) => join(d, name)).find((p) => existsSync(p));
  if (!found) throw new Error(`wasm-split: ${name} not found on PATH; run scripts/setup.sh`);
  return found;
}

// Debian's binaryen 108 writes modules that fail in the browser; take only the version
// Trunk.toml pins.
let checkedWasmOpt;
function wasmOpt() {
  if (checkedWasmOpt) return checkedWasmOpt;
  const bin = tool('wasm-opt');
  const want = /wasm_opt\s*=\s*"version_(\d+)"/.exec(readFileSync(join(src, 'Trunk.toml'), 'utf8'))?.[1];
  const have = execFileSync(bin, ['--version'], { encoding: 'utf8' });
  if (want && !new RegExp(`version ${want}\\b`).test(have)) {
    throw new Error(`wasm-split: ${bin} is "${have.trim()}", Trunk.toml pins version ${want}; run scripts/setup.sh`);
  }
  checkedWasmOpt = bin;
  return bin;
}

const hash = (bytes, n = 16) => createHash('sha256').update(bytes).digest('hex').slice(0, n);

const targetDirs = [env.CARGO_TARGET_DIR, 'target']
  .filter(Boolean)
  .map((d) => (d.startsWith('/') ? d : join(src, d)));
const input = targetDirs
  .map((d) => join(d, 'wasm32-unknown-unknown', profile, 'omnikpi.wasm'))
  .find((p) => existsSync(p));
if (!input) throw new Error(`wasm-split: no cargo output omnikpi.wasm under ${targetDirs.join(' or ')}`);

const js = readdirSync(dir).find((f) => /^omnikpi(-[0-9a-f]+)?\.js$/.test(f));
if (!js) throw new Error('wasm-split: Trunk staged no omnikpi JS module');
const stem = js.slice(0, -3);

const tmp = mkdtempSync(join(tmpdir(), 'omnikpi-split-'));
try {
  const parts = join(tmp, 'parts');
  run(tool('wasm-split-cli'), ['--target', 'web', '--out-name', stem, input, parts]);
  const pkg = join(tmp, 'pkg');
  run(tool('wasm-bindgen'), [
    '--target', 'web', '--no-typescript', '--no-demangle', '--keep-lld-exports',
    '--out-dir', pkg, '--out-name', stem, join(parts, `${stem}.wasm`),
  ]);
  const opt = (file) => {
    if (profile !== 'release') return;
    run(wasmOpt(), [
      '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '-Oz', file, '-o', file,
    ]);
  };

  // The split parts, under content-hashed names.
  let loader = readFileSync(join(parts, '__wasm_split.js'), 'utf8');
  const chunks = readdirSync(parts).filter((f) => f.endsWith('.wasm') && f !== `${stem}.wasm`);
  for (const f of chunks) {
    const file = join(parts, f);
    opt(file);
    const named = `${f.slice(0, -5)}-${hash(readFileSync(file))}.wasm`;
    const ref = `"./${f}"`;
    if (!loader.includes(ref)) throw new Error(`wasm-split: the loader does not name ${f}`);
    loader = loader.split(ref).join(`"./${named}"`);
    copyFileSync(file, join(dir, named));
  }
  const loaderName = `__wasm_split-${hash(loader)}.js`;
  writeFileSync(join(dir, loaderName), loader);

  // The main part, bound, over Trunk's files.
  const main = join(pkg, `${stem}_bg.wasm`);
  opt(main);
  copyFileSync(main, join(dir, `${stem}_bg.wasm`));
  const glue = readFileSync(join(pkg, `${stem}.js`), 'utf8');
  // Only the import statements change: the keys of the wasm imports object keep the module
  // name the wasm file was linked with.
  const from = 'from "./__wasm_split.js"';
  if (!glue.includes(from)) {
    throw new Error('wasm-split: the bound module does not import the split loader');
  }
  writeFileSync(join(dir, js), glue.split(from).join(`from "./${loaderName}"`));
  if (existsSync(join(pkg, 'snippets'))) {
    cpSync(join(pkg, 'snippets'), join(dir, 'snippets'), { recursive: true });
  }

  // Subresource integrity of every file index.html preloads, as Trunk computed it for its own.
  // Not on a preload `as="fetch"` (the wasm module): Chromium ignores integrity there and says
  // so in the console on every page load (crbug.com/981419), so the attribute protects nothing.
  const htmlFile = join(dir, 'index.html');
  const base = env.TRUNK_PUBLIC_URL || '/';
  const html = readFileSync(htmlFile, 'utf8').replace(
    /<link\b[^>]*>/g,
    (tag) => {
      const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
      if (!href || !/\bintegrity="sha384-/.test(tag)) return tag;
      if (/\bas="fetch"/.test(tag)) return tag.replace(/\s*\bintegrity="sha384-[^"]*"/, '');
      const rel = href.startsWith(base) ? href.slice(base.length) : href.replace(/^\//, '');
      const file = join(dir, decodeURIComponent(rel));
      if (!existsSync(file)) return tag;
      const sri = createHash('sha384').update(readFileSync(file)).digest('base64');
      return tag.replace(/\bintegrity="sha384-[^"]*"/, `integrity="sha384-${sri}"`);
    },
  );
  writeFileSync(htmlFile, html);
  const size = (f) => readFileSync(join(dir, f)).length;
  console.log(
    `wasm-split: main ${size(`${stem}_bg.wasm`)} B, ${chunks.length} parts loaded on demand`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
