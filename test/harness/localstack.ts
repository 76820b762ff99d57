// Test harness: LocalStack without Docker. localstack-core 4.13.1 in host mode, installed from exact
// pins (test/harness/localstack-requirements.txt, for Python 3.11) into its own git-ignored venv
// named by the pin file's hash (a second run, or a CI cache keyed on that file, reuses it), started
// on a free loopback port, ready when /_localstack/health reports the services running, stopped by
// PID (its own process group). With a Docker engine, testcontainers starts the image instead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, freePort, isolatedAwsEnv, run, withFileLock } from './moto.ts';

export const LOCALSTACK_VERSION = '4.13.1';
export const LOCALSTACK_PINS = path.join(REPO_ROOT, 'test', 'harness', 'localstack-requirements.txt');
const SITECUSTOMIZE = path.join(REPO_ROOT, 'test', 'harness', 'localstack-sitecustomize.py');
/** The services the end-to-end scenarios use. */
export const LOCALSTACK_SERVICES = ['s3', 's3control', 'iam', 'sts'];

/** Folder of all LocalStack venvs; each is named by the hash of the pin file it was built from. */
export const LOCALSTACK_VENVS = path.join(REPO_ROOT, '.venv-localstack');

export function pinsHash(): string {
  return createHash('sha256').update(fs.readFileSync(LOCALSTACK_PINS)).digest('hex').slice(0, 16);
}

export function localStackVenv(): string {
  return path.join(LOCALSTACK_VENVS, pinsHash());
}

function venvPython(venv: string): string {
  return path.join(venv, 'bin', 'python');
}

/** The pins are resolved for CPython 3.11 (4.13.1 is the last release that runs on it). */
export function findPython311(): { python?: string; reason?: string } {
  const candidates = [process.env.PREFLIGHT_LOCALSTACK_PYTHON, 'python3.11', 'python3'].filter(Boolean) as string[];
  const seen: string[] = [];
  for (const cmd of candidates) {
    const r = spawnSync(cmd, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8', timeout: 10_000 });
    if (r.error || r.status !== 0) continue;
    const version = r.stdout.trim();
    seen.push(`${cmd} is ${version}`);
    if (version === '3.11') return { python: cmd };
  }
  return { reason: `LocalStack ${LOCALSTACK_VERSION} (host mode) needs Python 3.11 for its pinned dependencies; ${seen.length ? seen.join(', ') : 'no python3 on PATH'} (set PREFLIGHT_LOCALSTACK_PYTHON to a 3.11 interpreter)` };
}

function installed(venv: string): boolean {
  try {
    return fs.readFileSync(path.join(venv, '.installed'), 'utf8').trim() === LOCALSTACK_VERSION && fs.existsSync(venvPython(venv));
  } catch {
    return false;
  }
}


/**
 * Makes sure the pinned LocalStack venv exists (about 80 s and 530 MB the first time) and returns
 * it. Older venvs (other pin hashes) are removed. Safe to call from several processes at once.
 */
export async function ensureLocalStackInstalled(): Promise<string> {
  const venv = localStackVenv();
  if (installed(venv)) return venv;
  return withFileLock(path.join(REPO_ROOT, '.tmp', 'localstack-install.lock'), async () => {
    if (installed(venv)) return venv;
    const { python, reason } = findPython311();
    if (!python) throw new LocalStackUnavailable(reason ?? 'no Python 3.11');
    fs.rmSync(venv, { recursive: true, force: true });
    for (const old of fs.existsSync(LOCALSTACK_VENVS) ? fs.readdirSync(LOCALSTACK_VENVS) : []) {
      fs.rmSync(path.join(LOCALSTACK_VENVS, old), { recursive: true, force: true });
    }
    const mk = await run(python, ['-m', 'venv', venv]);
    if (mk.code !== 0) throw new Error(`${python} -m venv ${venv} failed (exit ${mk.code}):\n${mk.output.slice(-2000)}`);
    const pip = await run(venvPython(venv), ['-m', 'pip', 'install', '--quiet', '--no-deps', '-r', LOCALSTACK_PINS]);
    if (pip.code !== 0) throw new Error(`pip install -r ${path.relative(REPO_ROOT, LOCALSTACK_PINS)} failed (exit ${pip.code}):\n${pip.output.split('\n').filter((l) => !l.startsWith('WARNING: Location')).slice(-15).join('\n')}`);
    fs.writeFileSync(path.join(venv, '.installed'), `${LOCALSTACK_VERSION}\n`);
    return venv;
  }, { waitMs: 15 * 60_000 });
}

/** A reason LocalStack cannot run here (no Python 3.11): its tests skip with this line. */
export class LocalStackUnavailable extends Error {}

export interface LocalStack {
  endpoint: string;
  pid: number;
  logTail(): string;
  stop(): Promise<void>;
}

/**
 * 4.13.1's KMS CreateKey calls uuid.uuid5 with bytes, which only Python 3.12 accepts: the venv's
 * sitecustomize backports 3.12's behaviour. Written into site-packages on every start (cheap,
 * idempotent), so a change to the backport needs no reinstall.
 */
function installSitecustomize(venv: string): void {
  const lib = path.join(venv, 'lib');
  const py = fs.readdirSync(lib).find((d) => d.startsWith('python3'));
  if (!py) throw new Error(`no site-packages under ${lib}`);
  const target = path.join(lib, py, 'site-packages', 'sitecustomize.py');
  const text = fs.readFileSync(SITECUSTOMIZE, 'utf8');
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) fs.writeFileSync(target, text);
}

const live = new Set<ChildProcess>();
let hooked = false;
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } }
}

/** Starts LocalStack (installing it first if needed) on a free port of 127.0.0.1. */
export async function startLocalStack(opts: { timeoutMs?: number } = {}): Promise<LocalStack> {
  const venv = await ensureLocalStackInstalled();
  installSitecustomize(venv);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-localstack-'));
  fs.mkdirSync(path.join(state, 'tmp'));
  const env = {
    ...isolatedAwsEnv(),
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    SERVICES: LOCALSTACK_SERVICES.join(','),
    EAGER_SERVICE_LOADING: '1',
    SKIP_INFRA_DOWNLOADS: '1',
    SKIP_SSL_CERT_DOWNLOAD: '1',
    DISABLE_EVENTS: '1',
    DNS_ADDRESS: '0',
    FILESYSTEM_ROOT: state,
    LOCALSTACK_VOLUME_DIR: path.join(state, 'volume'),
    TMPDIR: path.join(state, 'tmp'),
    PYTHONUNBUFFERED: '1',
  };
  const child = spawn(venvPython(venv), ['-m', 'localstack.runtime.main'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env, cwd: state });
  live.add(child);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => { for (const c of live) killGroup(c, 'SIGKILL'); });
  }
  child.unref();
  let log = '';
  for (const s of [child.stdout, child.stderr]) {
    s?.on('data', (b: Buffer) => { log = (log + b.toString('utf8')).slice(-20_000); });
    (s as unknown as { unref?: () => void } | null)?.unref?.();
  }
  let spawnError: Error | undefined;
  child.on('error', (e) => { spawnError = e; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const t = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (spawnError) throw new Error(`could not start LocalStack: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`LocalStack exited early (code ${child.exitCode ?? child.signalCode}):\n${log.slice(-3000)}`);
    try {
      const res = await fetch(`${endpoint}/_localstack/health`, { signal: AbortSignal.timeout(2000) });
      const health = (await res.json()) as { services?: Record<string, string> };
      if (LOCALSTACK_SERVICES.every((s) => health.services?.[s] === 'running')) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`LocalStack did not report ${LOCALSTACK_SERVICES.join(', ')} running on ${endpoint} in time:\n${log.slice(-3000)}`);
    }
    await sleep(200);
  }
  return { endpoint, pid: child.pid as number, logTail: () => log.slice(-5000), stop };
}
