// Bundles the CLI into dist/ with esbuild: a tiny entry file plus lazily loaded chunks, so
// `npx packages-preflight` does not load the AWS SDK before a command needs it and the GitHub
// Action needs no npm ci. The help texts are rendered once at build time (by the first bundle) and
// embedded in the second, so `--help` is answered without loading yargs at all.

import { build, type BuildOptions } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';

export const HELP_COMMANDS = ['', 'check', 'fleet', 'codeartifact', 'report', 'policy', 'checks', 'completion'];

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
  legalComments: 'linked',
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
await build(options(staging, help));
rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
console.log('built dist/cli.mjs');
