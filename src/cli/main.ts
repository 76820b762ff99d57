#!/usr/bin/env node
// The bootstrap: as little as possible before the first answer. `--version` needs nothing else;
// everything else loads the yargs program (src/cli/cli.ts), which loads each command's code (and
// the AWS SDK) only when that command runs. Node's compile cache keeps later starts fast.

// First: refuse an unsupported Node in one line (exit 3) before any other module is evaluated.
import './node-version.ts';
import module from 'node:module';
import { holdEarlySignals } from '../engine/early-signals.ts';
import { TOOL } from '../version.ts';

/** Help texts rendered at build time (scripts/build.ts); absent when running from source. */
declare const __PREFLIGHT_HELP__: Record<string, string> | undefined;

module.enableCompileCache?.();

const argv = process.argv.slice(2);
const isHelp = (a: string | undefined) => a === '--help' || a === '-h';
const prerendered = typeof __PREFLIGHT_HELP__ === 'undefined' ? undefined : __PREFLIGHT_HELP__;
const helpFor = argv.length === 1 && isHelp(argv[0]) ? '' : argv.length === 2 && isHelp(argv[1]) ? argv[0] : undefined;

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${TOOL.version}\n`);
} else if (helpFor !== undefined && prerendered?.[helpFor] !== undefined) {
  process.stdout.write(prerendered[helpFor]);
} else {
  holdEarlySignals();
  const { main } = await import('./cli.ts');
  await main(argv);
  // The reports are written and the exit code is set: nothing the run started (a request a server
  // still trickles, a retry timer, a check that never settled) may keep the process alive. Exit
  // once stdout and stderr have taken every byte written to them.
  await new Promise<void>((resolve) => process.stdout.write('', () => process.stderr.write('', () => resolve())));
  process.exit();
}
