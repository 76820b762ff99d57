// Test harness: installs and runs a local moto server (AWS emulator) on 127.0.0.1.
// Nothing here ever talks to real AWS: testEnv()/sdkConfig() point every client at the emulator.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { controlFetch, startMotoFront } from './moto-front.ts';

/** The pinned emulator. Bumping it makes ensureMotoInstalled() reinstall (marker file records it). */
export const MOTO_REQUIREMENT = 'moto[server]==5.2.5';

/** Repository root, computed from this file's location (test/harness/moto.ts). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Git-ignored virtualenv holding moto. */
export const VENV_DIR = path.join(REPO_ROOT, '.venv');

const MARKER = path.join(VENV_DIR, '.moto-installed');
const LOCK = path.join(REPO_ROOT, '.tmp', 'moto-install.lock');
/** A lock held by a dead process, or without a pid and older than this, is stale. */
const STALE_LOCK_MS = 10 * 60_000;
const INSTALL_WAIT_MS = 15 * 60_000;

const TEST_ACCESS_KEY_ID = 'AKIATESTFAKEKEY00000';
const TEST_SECRET_ACCESS_KEY = 'test-secret-not-real';
const TEST_REGION = 'us-east-1';

function venvBin(name: string): string {
  return path.join(VENV_DIR, process.platform === 'win32' ? 'Scripts' : 'bin', name);
}

function installed(): boolean {
  try {
    return fs.readFileSync(MARKER, 'utf8').trim() === MOTO_REQUIREMENT && fs.existsSync(venvBin('moto_server'));
  } catch {
    return false;
  }
}

export interface RunResult { code: number | null; output: string; }

/** Runs a command, capturing combined output (pip installs of both emulators). Rejects only when the executable cannot be started. */
export function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
    let output = '';
    const take = (b: Buffer) => { output = (output + b.toString('utf8')).slice(-20_000); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock file if its owner is dead (or, when it names none, it is older than staleMs). */
function clearStaleLock(lock: string, staleMs: number): void {
  let st: fs.Stats;
  let pid: number;
  try {
    st = fs.statSync(lock);
    pid = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
  } catch {
    return; // vanished meanwhile (or unreadable: next round decides)
  }
  const knownOwner = Number.isInteger(pid) && pid > 0;
  // A lock without a pid may belong to an owner that has not written it yet: judge it by age.
  const stale = knownOwner ? !pidAlive(pid) : Date.now() - st.mtimeMs > staleMs;
  if (stale) {
    try {
      // Narrow the race with a process that replaced the stale lock meanwhile: same file still?
      const again = fs.statSync(lock);
      if (again.ino === st.ino && again.mtimeMs === st.mtimeMs) fs.unlinkSync(lock);
    } catch { /* someone else removed it */ }
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding our pid). Waits for
 * a held lock; removes it when stale (owner dead, or older than staleMs).
 */
export async function withFileLock<T>(lock: string, fn: () => Promise<T>, opts: { waitMs?: number; staleMs?: number } = {}): Promise<T> {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + (opts.waitMs ?? INSTALL_WAIT_MS);
  const staleMs = opts.staleMs ?? STALE_LOCK_MS;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = fs.openSync(lock, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lock} (delete it if its owner is gone)`, { cause: err });
      clearStaleLock(lock, staleMs);
      await sleep(250);
    }
  }
  try {
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    return await fn();
  } finally {
    try { fs.unlinkSync(lock); } catch { /* already gone */ }
  }
}

/**
 * Makes sure the pinned moto is installed in REPO_ROOT/.venv and returns the path of `moto_server`.
 * Fast when already installed; safe to call from several processes at once.
 */
export async function ensureMotoInstalled(): Promise<string> {
  const server = venvBin('moto_server');
  if (installed()) return server;
  return withFileLock(LOCK, async () => {
    if (installed()) return server; // another process finished while we waited
    const python = venvBin('python');
    if (!fs.existsSync(python)) {
      let res: RunResult;
      try {
        res = await run('python3', ['-m', 'venv', VENV_DIR]);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new Error(`python3 not found on PATH: it is needed to install the AWS emulator ${MOTO_REQUIREMENT} for the tests`, { cause: err });
        }
        throw err;
      }
      if (res.code !== 0) throw new Error(`python3 -m venv ${VENV_DIR} failed (exit ${res.code}):\n${tail(res.output)}`);
    }
    try { fs.unlinkSync(MARKER); } catch { /* none yet */ }
    const pip = await run(python, ['-m', 'pip', 'install', '--quiet', MOTO_REQUIREMENT]);
    if (pip.code !== 0 || !fs.existsSync(server)) {
      throw new Error(`pip install ${MOTO_REQUIREMENT} into ${VENV_DIR} failed (exit ${pip.code}):\n${tail(pip.output)}`);
    }
    fs.writeFileSync(MARKER, `${MOTO_REQUIREMENT}\n`);
    return server;
  });
}

export interface Moto {
  /** e.g. http://127.0.0.1:PORT — one port for every service (the front of moto-front.ts, which forwards to moto). */
  endpoint: string;
  port: number;
  /** POST /moto-api/reset (drops all emulated state), then turns IAM enforcement off (moto's reset keeps it). */
  reset(): Promise<void>;
  /** POST /moto-api/reset-auth: `true` enforces identity policies from the next request on, `false` stops. */
  enforceIam(on: boolean): Promise<void>;
  /** Last lines moto wrote to stdout/stderr (request log, tracebacks). */
  logTail(): string;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

/** Bounded buffer of the last output lines. */
class RingBuffer {
  private lines: string[] = [];
  private partial = '';
  private readonly max: number;
  constructor(max: number) { this.max = max; }
  push(chunk: Buffer): void {
    // moto's dev server colours its request log even into a pipe: keep the text only.
    // eslint-disable-next-line no-control-regex
    const parts = (this.partial + chunk.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '')).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
    if (this.partial.length > 4096) this.partial = this.partial.slice(-4096);
  }
  text(n = this.max): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-n).join('\n');
  }
}

// Every live moto child, killed (whole process group) when this process exits.
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // detached => child leads its own group
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of children) killGroup(c, 'SIGKILL');
  });
  // A signal would skip 'exit': clean up, then re-raise with the default action (unless the
  // application handles the signal itself, in which case it decides when to exit).
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const c of children) killGroup(c, 'SIGKILL');
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
}

async function motoApi(endpoint: string, pathname: string, init?: RequestInit): Promise<void> {
  const res = await controlFetch(endpoint + pathname, init);
  const body = await res.text();
  if (!res.ok) throw new Error(`moto ${init?.method ?? 'GET'} ${pathname} -> HTTP ${res.status}: ${body.slice(0, 300)}`);
}

/**
 * Starts a fresh moto server on a free port of 127.0.0.1 and waits until it answers.
 * `port` (tests only) is tried first; a port found taken is replaced by another free one.
 */
export async function startMoto(opts: { timeoutMs?: number; port?: number } = {}): Promise<Moto> {
  const motoServer = await ensureMotoInstalled();
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  // The free port may be taken by someone else between our probe and moto's bind: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(motoServer, attempt === 1 && opts.port ? opts.port : await freePort(), deadline);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= 5) throw err;
    }
  }
}

class PortTakenError extends Error {}

/** True when something already accepts connections on 127.0.0.1:port. */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

async function startOnce(motoServer: string, port: number, deadline: number): Promise<Moto> {
  const endpoint = `http://127.0.0.1:${port}`;
  // A server already listening there would answer data.json for us if moto is slow to report its
  // failed bind (a loaded machine): refuse the port before starting rather than judge answers.
  if (await portInUse(port)) throw new PortTakenError(`port ${port} taken`);
  const log = new RingBuffer(200);
  const child = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true, // own process group: stop() and the exit hook kill moto and anything it forks
    stdio: ['ignore', 'pipe', 'pipe'],
    // The emulator itself must not pick up real credentials or endpoints either.
    env: motoEnv(endpoint),
  });
  installExitHook();
  children.add(child);
  // Never keep the test process alive just because a test forgot stop(): the exit hook kills it.
  child.unref();
  for (const s of [child.stdout, child.stderr]) {
    s?.on('data', (b: Buffer) => log.push(b));
    (s as unknown as { unref?: () => void } | null)?.unref?.();
  }
  let spawnError: Error | undefined;
  child.on('error', (err) => { spawnError = err; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { children.delete(child); resolve(); }));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child, 'SIGTERM');
    const t = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  };

  const enforceIam = (on: boolean): Promise<void> =>
    motoApi(endpoint, '/moto-api/reset-auth', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: on ? '0' : 'inf' });

  // Ready = data.json answers AND it is our server answering: werkzeug logs "Running on ...:PORT"
  // only after its bind succeeded (otherwise another process on that port could answer for us).
  // Should a future version log differently, an answer from a child alive for 2 s is accepted too.
  const bound = () => log.text().includes(`Running on http://127.0.0.1:${port}`);
  let firstAnswer: number | undefined;
  for (;;) {
    if (spawnError) throw new Error(`could not start ${motoServer}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      const out = log.text(20);
      if (/Address already in use|port \d+ is in use/i.test(out)) throw new PortTakenError(`port ${port} taken`);
      throw new Error(`moto_server exited early (code ${child.exitCode ?? child.signalCode}) on port ${port}:\n${out}`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) {
        firstAnswer ??= Date.now();
        if (bound() || Date.now() - firstAnswer > 2000) break;
      }
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} in time; last output:\n${log.text(20)}`);
    }
    await sleep(100);
  }

  // Clients talk to moto through a front that corrects the answers in which moto is not S3 (see moto-front.ts).
  const front = await startMotoFront(endpoint).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return {
    endpoint: front.endpoint,
    port: front.port,
    reset: async () => {
      await front.reset();
      await motoApi(endpoint, '/moto-api/reset', { method: 'POST' });
      // /moto-api/reset keeps IAM enforcement on: a clean slate must not inherit it from a previous test.
      await enforceIam(false);
    },
    enforceIam,
    logTail: () => log.text(),
    stop: async () => {
      await front.stop();
      await stop();
    },
  };
}

function motoEnv(endpoint: string): NodeJS.ProcessEnv {
  const env = testEnv(endpoint, { PYTHONUNBUFFERED: '1' });
  delete env.AWS_ENDPOINT_URL; // moto must not send anything to itself through botocore
  return env;
}

/**
 * Environment for child processes (and SDK default chains) that can only reach the emulator:
 * process.env without any AWS_* variable, plus fake static credentials and the endpoint.
 */
export function testEnv(endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return isolatedAwsEnv({ AWS_ENDPOINT_URL: endpoint, NO_COLOR: '1', ...extra });
}

/**
 * process.env without any AWS_* variable, plus fake static credentials, us-east-1, IMDS disabled
 * and AWS config/credentials files that do not exist: no profile, no real key, no 169.254.169.254.
 * No endpoint is set (see testEnv for that).
 */
export function isolatedAwsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.toUpperCase().startsWith('AWS_')) env[k] = v;
  }
  // The CLI's language defaults from the locale (issue 19): tests read English unless they ask
  // for another language with --lang or their own LANG, whatever the developer's machine uses.
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  env.LANG = 'C.UTF-8';
  const nowhere = path.join(os.tmpdir(), 'packages-preflight-no-aws-config', 'does-not-exist');
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    AWS_REGION: TEST_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
  }, extra);
  return env;
}

/**
 * The opt-in real-AWS suite (PREFLIGHT_E2E_AWS=1) needs the user's credentials; every other test
 * must never see them. They travel under PREFLIGHT_REAL_* names that only test/e2e/real-aws reads.
 */
export function realAwsPassthrough(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.PREFLIGHT_E2E_AWS !== '1') return {};
  const keep = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];
  return Object.fromEntries(keep.filter((k) => env[k]).map((k) => [`PREFLIGHT_REAL_${k}`, env[k] as string]));
}

/**
 * Makes this process's own environment the isolated one (vitest.config.ts calls it, so every
 * worker, globalSetup and child process inherits it, also in a focused `npx vitest run file` or
 * watch mode): AWS_* variables replaced by isolatedAwsEnv(), the real-AWS passthrough kept.
 * Idempotent (a watch-mode config reload must not pass the dummy credentials on as real ones).
 */
export function isolateProcessEnv(): void {
  if (process.env.PREFLIGHT_TEST_ENV_ISOLATED === '1') return;
  const next = isolatedAwsEnv({ ...realAwsPassthrough(), PREFLIGHT_TEST_ENV_ISOLATED: '1' });
  for (const k of Object.keys(process.env)) if (!(k in next)) delete process.env[k];
  Object.assign(process.env, next);
}

export interface SdkTestConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  maxAttempts: number;
}

/** Options for the test's own S3/IAM/STS clients (scenario setup). For S3 Control use s3ControlConfig(). */
export function sdkConfig(endpoint: string, credentials?: { accessKeyId: string; secretAccessKey: string }): SdkTestConfig {
  return {
    endpoint,
    region: TEST_REGION,
    credentials: credentials ?? { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    forcePathStyle: true,
    maxAttempts: 1,
  };
}

export interface S3ControlTestConfig extends Omit<SdkTestConfig, 'forcePathStyle'> {
  endpointProvider: () => { url: URL };
}

/**
 * Options for an S3ControlClient against the emulator. S3 Control's endpoint rules prepend the
 * account id to the host (`123456789012.127.0.0.1:PORT` -> "Invalid URL"), and the client has no
 * forcePathStyle; replacing the endpoint provider keeps the host as given. The account id still
 * travels in the `x-amz-account-id` header, which is what moto reads.
 */
export function s3ControlConfig(endpoint: string, credentials?: { accessKeyId: string; secretAccessKey: string }): S3ControlTestConfig {
  const { forcePathStyle: _unused, ...rest } = sdkConfig(endpoint, credentials);
  const url = new URL(endpoint);
  return { ...rest, endpointProvider: () => ({ url: new URL(url) }) };
}
