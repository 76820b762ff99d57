// A signal that arrives before the run's own handler exists (modules loading, input being read and
// validated) ends the process with exit 2 and one line, not with the signal's status (issue 14,
// item 18). The child is held before the run starts by `--from-ghe-config -` reading a standard input
// that stays open; the signal is sent once /proc shows it blocked in that read.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'vitest';
import { skipWhen } from '../harness/skip.ts';
import { testEnv } from '../harness/moto.ts';
import { CLI } from './cli.ts';

/**
 * Whether the main thread of `pid` is blocked reading its standard input (read(2) on fd 0, from
 * /proc/PID/syscall: number 0 on x86-64, 63 on arm64): it is then past start-up, before any run.
 */
function readingStdin(pid: number): boolean {
  try {
    const syscall = readFileSync(`/proc/${pid}/syscall`, 'utf8');
    if (/^(?:0|63) 0x0 /.test(syscall)) return true;
    // A standard input that is non-blocking (O_NONBLOCK in /proc/PID/fdinfo/0) is read in a loop
    // that waits 10 ms on EAGAIN (src/config/input-file.ts): blocked in that wait (futex: 202 on
    // x86-64, 98 on arm64) is the same point in the run.
    const flags = Number.parseInt(/^flags:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/0`, 'utf8'))?.[1] ?? '0', 8);
    return (flags & 0o4000) !== 0 && /^(?:202|98) /.test(syscall);
  } catch {
    return false;
  }
}

describe('a signal before the run starts', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} while input is still being read: exit 2 and one line, not the signal's status`, skipWhen(existsSync('/proc/self/syscall') ? false : 'needs /proc/PID/syscall', async () => {
      const outputDir = mkdtempSync(join(tmpdir(), 'preflight-early-signal-'));
      const child = spawn(process.execPath, [CLI, 'check', '--from-ghe-config', '-', '--max-attempts', '1', '--output-dir', outputDir], { env: testEnv('http://127.0.0.1:9'), stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
      for (let waited = 0; waited < 10_000 && !readingStdin(child.pid!); waited += 20) await sleep(20);
      assert.ok(readingStdin(child.pid!), 'the child is reading its standard input');
      child.kill(signal);
      await sleep(100);
      child.stdin.end('secrets.packages.blob-storage-type=s3\nsecrets.packages.s3-bucket=ghes-packages\nsecrets.packages.service-url=https://s3.us-east-1.amazonaws.com\n');
      const [code, sig] = await closed;
      assert.equal(sig, null, `ended by ${sig}\n${stderr}`);
      assert.equal(code, 2, stderr);
      // The pending signal is handled when the event loop next runs: by the early handler, or by the
      // run's own (an interrupted run), whichever holds it then. Never by the default action.
      assert.match(stderr, new RegExp(`^packages-preflight: ${signal} received`, 'm'));
    }));
  }
});
