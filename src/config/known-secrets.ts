// Before any input is validated or echoed, every secret the credential chain could resolve from
// local sources is registered for redaction: a secret key pasted into a flag by mistake must not come
// back in the error message about that flag, whatever profile it came from. Read (never executed, no
// AWS call): the environment, the shared credentials and config files (every profile), the SSO,
// `aws login` and AWS CLI (assumed-role) caches, web-identity and container token files, and the
// `ghe-config -l` output named by --from-ghe-config. Credentials that exist only after a network
// call or a credential_process run are registered when the chain resolves them (src/aws/session.ts).

import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { registerSecret } from '../redact.ts';
import { preloadGheConfig } from './ghe-config.ts';
import { nestingDepth, readUserFile } from './input-file.ts';

const ENV_SECRETS = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'];
const ENV_TOKEN_FILES = ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'];
/** Keys of the shared files whose values are secrets (any profile, any section). */
const INI_SECRET = /^\s*(?:aws_secret_access_key|aws_session_token|aws_security_token)\s*=\s*(.*?)\s*$/i;
/** Keys of cached JSON tokens whose values are secrets (accessToken, refreshToken, clientSecret, SecretAccessKey, SessionToken, dpopKey...). */
const JSON_SECRET_KEY = /secret|token|password|privatekey|dpopkey/i;
/** Enough for any real cache folder; a folder with more files is not read further. */
const MAX_CACHE_FILES = 500;

/** The file's text, or undefined when it cannot be read (absent, too big, not text): never an error here. */
function quietRead(file: string): string | undefined {
  try {
    return readUserFile(file, file, '');
  } catch {
    return undefined;
  }
}

function registerIniSecrets(text: string | undefined): void {
  for (const line of text?.split(/\r?\n/) ?? []) {
    const m = INI_SECRET.exec(line);
    if (m) registerSecret(m[1].replace(/^(["'])(.*)\1$/, '$2'));
  }
}

/** Registers the string values under secret-looking keys, at any depth (walked without recursion). */
function registerJsonSecrets(text: string | undefined): void {
  if (!text) return;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return;
  }
  if (nestingDepth(data) > 64) return;
  const todo: Array<[string, unknown]> = [['', data]];
  while (todo.length > 0) {
    const [key, v] = todo.pop()!;
    if (typeof v === 'string' && JSON_SECRET_KEY.test(key)) registerSecret(v);
    else if (v !== null && typeof v === 'object') for (const [k, child] of Object.entries(v)) todo.push([k, child]);
  }
}

function jsonFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .slice(0, MAX_CACHE_FILES)
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** The password of a URL's user info, as written and decoded. */
function registerUrlPassword(url: string | undefined): void {
  if (!url) return;
  try {
    const { password } = new URL(url);
    registerSecret(password);
    registerSecret(decodeURIComponent(password));
  } catch {
    // Not a URL (options say so later); nothing to register.
  }
}

/** The value of `--name VALUE` / `--name=VALUE` in argv (the first one), before yargs parses anything. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
}

export function registerResolvableSecrets(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  for (const name of ENV_SECRETS) registerSecret(env[name]);
  for (const name of ENV_TOKEN_FILES) if (env[name]) registerSecret(quietRead(env[name]!)?.trim());
  // The SDK's own notion of home (HOME first), so the files are the ones the chain reads.
  const home = env.HOME || env.USERPROFILE || homedir();
  registerIniSecrets(quietRead(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')));
  registerIniSecrets(quietRead(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')));
  const caches = [join(home, '.aws', 'sso', 'cache'), env.AWS_LOGIN_CACHE_DIRECTORY || join(home, '.aws', 'login', 'cache'), join(home, '.aws', 'cli', 'cache')];
  for (const dir of caches) for (const file of jsonFilesIn(dir)) registerJsonSecrets(quietRead(file));
  // A proxy's password (HTTPS_PROXY and friends, --proxy) is a secret too; src/aws/network.ts
  // registers it when the handler is built, which is after options are read.
  for (const url of [...PROXY_VARIABLES.map((v) => env[v]), flagValue(argv, '--proxy')]) registerUrlPassword(url);
  // The appliance's settings hold the Packages secret key: read them now (standard input too, kept
  // for the command), so a flag echoed by a usage error cannot carry it.
  const ghe = flagValue(argv, '--from-ghe-config');
  if (ghe) preloadGheConfig(ghe);
}
