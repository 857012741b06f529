/** Test helpers: run the real `incident` CLI (bin/incident.js) and the real `sf` as child processes, in isolation. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from 'jsforce';
import type { OrgStartResult } from './commands/incident/org/start.ts';

export const PROJECT_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..'
);
export const INCIDENT_BIN = path.join(PROJECT_ROOT, 'bin', 'incident.js');
export const SF_BIN = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'sf');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A temporary folder used as HOME (sf auth store, sf config) and working directory. */
export interface Sandbox {
  home: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  dispose(): void;
}

/**
 * The parent's environment minus anything that would point a CLI at a real org or a real sf
 * state (SF_*, SFDX_*, INCIDENT_*), with HOME in a temp folder and sf's background chores off.
 * CI markers (CI, CONTINUOUS_INTEGRATION, CI_*) go too: under them oclif draws tables without
 * borders, and the tests read the output a person sees, wherever they run.
 */
export function makeSandbox(extra: NodeJS.ProcessEnv = {}): Sandbox {
  const root = mkdtempSync(path.join(tmpdir(), 'incident-cli-'));
  const home = path.join(root, 'home');
  const cwd = path.join(root, 'work');
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(SF_|SFDX_|INCIDENT_|CI_|CI$|CONTINUOUS_INTEGRATION$)/.test(key))
      env[key] = value;
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    // sf spawns `sf` from PATH for some chores; find ours, never a global one.
    PATH: `${path.dirname(SF_BIN)}${path.delimiter}${process.env.PATH ?? ''}`,
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    ...extra
  });
  mkdirSync(home);
  mkdirSync(cwd);
  return {
    home,
    cwd,
    env,
    dispose: () => {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

/** A child process whose output is collected as it arrives, for callers that act while it runs. */
export interface Spawned {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout: () => string;
  stderr: () => string;
  /** The exit code once the child has exited and its streams have closed. */
  exited: Promise<number | null>;
}

export function spawnCollecting(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv }
): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    })
  };
}

export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv }
): Promise<RunResult> {
  const spawned = spawnCollecting(command, args, options);
  const code = await spawned.exited;
  return { code, stdout: spawned.stdout(), stderr: spawned.stderr() };
}

export function runIncident(
  args: readonly string[],
  sandbox: Pick<Sandbox, 'cwd' | 'env'>,
  env: NodeJS.ProcessEnv = {}
): Promise<RunResult> {
  return run(process.execPath, [INCIDENT_BIN, ...args], {
    cwd: sandbox.cwd,
    env: { ...sandbox.env, ...env }
  });
}

/** The real CLI left running (e.g. `org start`), its output collected as it arrives. */
export function startIncident(
  args: readonly string[],
  sandbox: Pick<Sandbox, 'cwd' | 'env'>
): Spawned {
  return spawnCollecting(process.execPath, [INCIDENT_BIN, ...args], sandbox);
}

/** sf's --json envelope of a command that succeeded (or partly failed: status 1). */
export interface SfSuccess<R> {
  status: 0 | 1;
  result: R;
  warnings: string[];
}

/** sf's --json envelope of a command that failed. */
export interface SfFailure {
  status: 1 | 2;
  exitCode: 1 | 2;
  name: string;
  message: string;
  data?: unknown;
}

/** stdout parsed as the single JSON document `--json` promises. */
export function jsonOf(result: RunResult): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${String(result.code)}):\n${result.stdout}\nstderr:\n${result.stderr}`
    );
  }
}

/** A loopback port nothing listens on: one that was free a moment ago (bind to 0, note it, close). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('no TCP address');
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    })
  );
  return address.port;
}

/**
 * Waits (up to two minutes) until the child's stdout satisfies `ready`, and returns it; a child
 * that exits first, or never gets there, is killed and the wait fails with its output. A cold
 * start (tsx compiling the plugin, the org deploying force-app) took over a minute once on a
 * loaded 2-core CI machine while other tests started their own orgs.
 */
export async function waitForOutput(
  spawned: Spawned,
  ready: (stdout: string) => boolean
): Promise<string> {
  const deadline = Date.now() + 120_000;
  while (!ready(spawned.stdout())) {
    if (spawned.child.exitCode !== null || Date.now() > deadline) {
      spawned.child.kill('SIGKILL');
      throw new Error(`not ready:\n${spawned.stdout()}\n${spawned.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return spawned.stdout();
}

/** `incident org start --json` left running in a sandbox, logged in to its sf auth store. */
export interface CliOrg {
  spawned: Spawned;
  started: OrgStartResult;
  /** jsforce straight to the org, for arranging and checking data. */
  conn: Connection;
  /** Sends the signal and resolves with the exit code once the org has stopped. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startCliOrg(
  sandbox: Pick<Sandbox, 'cwd' | 'env' | 'home'>,
  args: readonly string[] = []
): Promise<CliOrg> {
  const spawned = startIncident(
    [
      'org',
      'start',
      '--db',
      path.join(sandbox.home, 'org.db'),
      '--json',
      ...args
    ],
    sandbox
  );
  await waitForOutput(spawned, (out) => jsonDocuments(out).length > 0);
  const [first] = jsonDocuments(spawned.stdout()) as [
    SfSuccess<OrgStartResult>
  ];
  const started = first.result;
  return {
    spawned,
    started,
    conn: new Connection({
      instanceUrl: started.instanceUrl,
      accessToken: started.accessToken,
      version: '64.0'
    }),
    stop: async (signal = 'SIGINT') => {
      spawned.child.kill(signal);
      const timer = setTimeout(() => spawned.child.kill('SIGKILL'), 30_000);
      try {
        return await spawned.exited;
      } finally {
        clearTimeout(timer);
      }
    }
  };
}

/** The complete pretty-printed top-level JSON documents in `text`: each ends with a '}' line of its own. */
export function jsonDocuments(text: string): unknown[] {
  const end = text.lastIndexOf('\n}\n');
  if (end === -1) return [];
  return text
    .slice(0, end + 3)
    .split(/(?<=^\})\n/m)
    .filter((part) => part.trim() !== '')
    .map((part) => JSON.parse(part) as unknown);
}
