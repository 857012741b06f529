/**
 * Test helper: runs the incident CLI inside the test's own process, as bin/incident.js runs it
 * (oclif's run, flush and error handling, the same package.json with bin `npx`), in the
 * sandbox's environment and working directory, and returns what a child process would have
 * given: exit code, stdout and stderr.
 *
 * Why: a child CLI spends seconds loading oclif, sf-plugins-core, @salesforce/core and every
 * command before it parses a flag; a test file that runs the CLI a dozen times paid that a dozen
 * times. In process the modules load once per test file. Every command keeps at least one real
 * child-process run (runIncident in test-cli.ts) somewhere, so the bin and the plugin wiring stay
 * tested; this is for the many other runs.
 *
 * Runs are serialised: the environment, the working directory, process.exitCode and the output
 * streams are process-wide.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from 'jsforce';
import type { OrgStartResult } from './local-org-start.ts';
import { PROJECT_ROOT, type RunResult, type Sandbox } from './test-cli.ts';

// Types only: the modules themselves load on the first run (see runAlone).
import type { Interfaces } from '@oclif/core';

type OclifCore = typeof import('@oclif/core');
type SalesforceCore = typeof import('@salesforce/core');

let modules: Promise<[OclifCore, SalesforceCore]> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** One at a time: what runs here swaps process-wide state. */
function serialised<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * The sandbox's environment (plus `env`), as a child would get it. @salesforce/core's log file is
 * written by a worker thread, which inherits this process's `--import tsx` and resolves it from
 * the sandbox's working directory, where it is not found: in process the log file is off (a
 * child CLI registers tsx in code and writes it; no test reads it).
 */
function sandboxEnv(
  sandbox: Pick<Sandbox, 'env'>,
  env: NodeJS.ProcessEnv
): NodeJS.ProcessEnv {
  return { ...sandbox.env, SF_DISABLE_LOG_FILE: 'true', ...env };
}

/**
 * Runs work with process.env exactly `env` and `cwd` as the working directory, restoring both.
 * Loads oclif and @salesforce/core on the first call, under that environment: some modules read
 * it once at load (is-in-ci, which ink uses to draw tables, sees CI markers the sandbox
 * removes), and a child CLI would load them under that environment too. A child CLI reads the
 * auth store, aliases and config from disk when it starts; @salesforce/core's caches of them are
 * emptied so that this run does too, not keep what an earlier run (or another HOME) read.
 */
async function inSandbox<T>(
  cwd: string,
  env: NodeJS.ProcessEnv,
  work: (oclif: OclifCore, sfCore: SalesforceCore) => Promise<T>
): Promise<T> {
  const restoreEnv = swapEnv(env);
  const previousCwd = process.cwd();
  process.chdir(cwd);
  try {
    modules ??= Promise.all([
      import('@oclif/core'),
      import('@salesforce/core')
    ]);
    const [oclif, sfCore] = await modules;
    sfCore.StateAggregator.clearInstance();
    await sfCore.ConfigAggregator.clearInstance();
    sfCore.SfProject.clearInstances();
    return await work(oclif, sfCore);
  } finally {
    process.chdir(previousCwd);
    restoreEnv();
  }
}

/**
 * Runs `incident <args>` in this process. Same contract as runIncident: the sandbox's
 * environment (plus `env`) and working directory, the CLI's exit code and output.
 */
export function runIncidentInProcess(
  args: readonly string[],
  sandbox: Pick<Sandbox, 'cwd' | 'env'>,
  env: NodeJS.ProcessEnv = {}
): Promise<RunResult> {
  return serialised(() =>
    inSandbox(sandbox.cwd, sandboxEnv(sandbox, env), (oclif) =>
      runCommand(oclif, args)
    )
  );
}

async function runCommand(
  oclif: OclifCore,
  args: readonly string[]
): Promise<RunResult> {
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  const output = captureOutput();
  let code: number;
  try {
    const pjson = JSON.parse(
      readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')
    ) as Interfaces.PJSON;
    // As bin/incident.js: help and examples print `npx <command id>`.
    pjson.oclif = { ...pjson.oclif, bin: 'npx' };
    const config = await oclif.Config.load({ root: PROJECT_ROOT, pjson });
    try {
      await oclif.run(['incident', ...args], config);
      await flushed(oclif);
      code = exitCodeSet() ?? 0;
    } catch (error) {
      code = await handled(oclif, error);
    }
  } finally {
    output.restore();
    process.exitCode = previousExitCode;
  }
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

/** A local org started in this process and logged in to a sandbox's sf auth store. */
export interface InProcessOrg {
  /** What `incident org start --json` reports. */
  started: OrgStartResult;
  /** jsforce straight to the org, for arranging and checking data. */
  conn: Connection;
  stop(): Promise<void>;
}

/**
 * The fixture of tests whose subject is another command: a local org started as `incident org
 * start` starts it (startLocalOrg with its database at HOME/org.db, as startCliOrg puts it; the
 * login saved by registerLocalOrg under `alias`; the call counters reset; the --faults file read
 * by the command's own reader), without a child process that loads the whole CLI for it.
 * cli.test.ts and org-start-faults.test.ts start the real command.
 */
export function startOrgInProcess(
  sandbox: Pick<Sandbox, 'cwd' | 'env' | 'home'>,
  options: { alias?: string; faults?: string; forceAppDir?: string } = {}
): Promise<InProcessOrg> {
  return serialised(() =>
    inSandbox(sandbox.cwd, sandboxEnv(sandbox, {}), async () => {
      const [{ startRegisteredOrg }, { LOCAL_ORG_ALIAS }, start] =
        await Promise.all([
          import('./local-org-start.ts'),
          import('./local-org-auth.ts'),
          import('./commands/incident/org/start.ts')
        ]);
      const faultsFile =
        options.faults === undefined
          ? null
          : path.resolve(sandbox.cwd, options.faults);
      const faults =
        faultsFile === null ? undefined : start.readFaultsFile(faultsFile);
      const dbPath = path.join(sandbox.home, 'org.db');
      const { org, started } = await startRegisteredOrg({
        port: 0,
        dbPath,
        ...(options.forceAppDir ? { forceAppDir: options.forceAppDir } : {}),
        alias: options.alias ?? LOCAL_ORG_ALIAS,
        faultsFile,
        ...(faults ? { faults } : {})
      });
      return {
        started,
        conn: new Connection({
          instanceUrl: org.instanceUrl,
          accessToken: org.accessToken,
          version: '64.0'
        }),
        stop: () => org.stop()
      };
    })
  );
}

/**
 * oclif's flush, which waits for stdout to drain and leaves a 'drain' listener behind when the
 * write does not block (harmless in a CLI that exits; here one more listener per run, until
 * Node warns of a leak): those it adds are removed.
 */
async function flushed(oclif: OclifCore): Promise<void> {
  const before = new Set(process.stdout.listeners('drain'));
  try {
    await oclif.flush();
  } finally {
    for (const listener of process.stdout.listeners('drain'))
      if (!before.has(listener))
        process.stdout.removeListener(
          'drain',
          listener as (...args: unknown[]) => void
        );
  }
}

/** process.exitCode as a command left it (a function, so TypeScript keeps the type unnarrowed). */
function exitCodeSet(): number | undefined {
  const code = process.exitCode;
  return code === undefined ? undefined : Number(code);
}

/**
 * oclif's own error handler (what execute() calls), which prints the error unless the command
 * already did and ends the process with the error's exit code: here process.exit is replaced for
 * the call, the stub oclif documents for tests, so the code is returned instead.
 */
async function handled(oclif: OclifCore, error: unknown): Promise<number> {
  const exit = process.exit.bind(process);
  let code: number | undefined;
  process.exit = ((exitCode?: number | string | null) => {
    code ??= Number(exitCode ?? 0);
  }) as typeof process.exit;
  try {
    await oclif.handle(error as Error);
  } finally {
    process.exit = exit;
  }
  return code ?? 1;
}

/** Makes process.env exactly `env` (in place: HOME and the rest must reach libuv); returns the undo. */
function swapEnv(env: NodeJS.ProcessEnv): () => void {
  const saved = { ...process.env };
  const apply = (target: NodeJS.ProcessEnv): void => {
    for (const key of Object.keys(process.env))
      if (!(key in target)) Reflect.deleteProperty(process.env, key);
    for (const [key, value] of Object.entries(target))
      if (value !== undefined) process.env[key] = value;
  };
  apply(env);
  return () => {
    apply(saved);
  };
}

/**
 * Collects what the CLI writes. Only text is taken from stdout: node:test's child process sends
 * its own reports on stdout as binary (serialised) chunks, which must still reach the runner,
 * while oclif and ink write strings.
 */
function captureOutput(): {
  stdout: () => string;
  stderr: () => string;
  restore: () => void;
} {
  let stdout = '';
  let stderr = '';
  const restoreOut = collect(process.stdout, true, (text) => {
    stdout += text;
  });
  const restoreErr = collect(process.stderr, false, (text) => {
    stderr += text;
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    restore: () => {
      restoreOut();
      restoreErr();
    }
  };
}

/** Replaces stream.write with a collector; returns the undo (the stream's own write back exactly). */
function collect(
  stream: NodeJS.WriteStream,
  binaryPassesThrough: boolean,
  append: (text: string) => void
): () => void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  const collector = (
    chunk: string | Uint8Array,
    ...rest: unknown[]
  ): boolean => {
    if (typeof chunk !== 'string' && binaryPassesThrough)
      return original(chunk, ...rest);
    append(
      typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    );
    const callback = rest.find((r) => typeof r === 'function') as
      (() => void) | undefined;
    callback?.();
    return true;
  };
  stream.write = collector;
  return () => {
    if (own) Object.defineProperty(stream, 'write', own);
    else Reflect.deleteProperty(stream, 'write');
  };
}
