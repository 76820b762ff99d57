// Bundles the CLI into dist/ with esbuild: one entry file plus lazily loaded chunks, so
// `npx packages-preflight --help` does not load the AWS SDK and the GitHub Action needs no npm ci.

import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';

// Build beside dist/ and swap it in, so a test reading dist/ never sees it half-built.
const staging = `dist.staging-${process.pid}`;
await build({
  entryPoints: { cli: 'src/cli/main.ts', action: 'src/action/main.ts' },
  outdir: staging,
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
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __preflightCreateRequire } from 'node:module'; const require = __preflightCreateRequire(import.meta.url);" },
});
rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
console.log('built dist/cli.mjs');
