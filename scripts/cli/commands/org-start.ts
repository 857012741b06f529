/** `incident org start`: runs the local org in the foreground until interrupted, and records it for --target-org local. */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  type FaultKind,
  type FaultOptions,
  FaultOptionsError,
  parseFaultOptions
} from '../../local-org/faults.ts';
import { startLocalOrg } from '../../local-org/server.ts';
import type { Command, CommandIo, Outcome, Stopped } from '../command.ts';
import { UsageError } from '../errors.ts';
import { parseFlags } from '../flags.ts';
import {
  authFilePath,
  localOrgDir,
  readLocalAuth,
  writeLocalAuth
} from '../local-auth.ts';
import { messages } from '../messages.ts';

const flags = {
  port: { type: 'string' },
  db: { type: 'string' },
  'force-app': { type: 'string' },
  faults: { type: 'string' }
} as const;

export interface OrgStartOptions {
  port: number;
  dbPath: string;
  forceAppDir?: string;
  faults?: { file: string; options: FaultOptions };
}

export interface OrgStartResult {
  instanceUrl: string;
  accessToken: string;
  authFile: string;
  dbPath: string;
  /** The --faults file, resolved; null without one. */
  faultsFile: string | null;
}

/** What a drill ends with: calls per endpoint since start, and the faults injected into them. */
export interface OrgStopResult {
  instanceUrl: string;
  calls: Record<string, number>;
  faultsInjected: {
    total: number;
    byEndpoint: Record<string, Partial<Record<FaultKind, number>>>;
  };
}

export function parseOrgStart(
  args: string[],
  io: Pick<CommandIo, 'env' | 'cwd'>
): OrgStartOptions {
  const values = parseFlags(args, flags);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (
    values.port?.trim() === '' ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535
  )
    throw new UsageError(messages.badPort(values.port ?? ''));
  if (values.db?.trim() === '')
    throw new UsageError(messages.flagNeedsValue('--db'));
  if (values['force-app']?.trim() === '')
    throw new UsageError(messages.flagNeedsValue('--force-app'));
  if (values.faults?.trim() === '')
    throw new UsageError(messages.flagNeedsValue('--faults'));
  const faultsFile =
    values.faults === undefined
      ? undefined
      : path.resolve(io.cwd, values.faults);
  return {
    port,
    dbPath: path.resolve(
      io.cwd,
      values.db ?? path.join(localOrgDir(io.env, io.cwd), 'org.db')
    ),
    ...(values['force-app']
      ? { forceAppDir: path.resolve(io.cwd, values['force-app']) }
      : {}),
    ...(faultsFile
      ? { faults: { file: faultsFile, options: readFaultsFile(faultsFile) } }
      : {})
  };
}

/** A drill's fault file, checked by the local org's own rules before anything starts. */
function readFaultsFile(file: string): FaultOptions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(messages.faultsUnreadable(file, reasonOf(error)));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(messages.faultsNotJson(file, reasonOf(error)));
  }
  try {
    return parseFaultOptions(value, file);
  } catch (error) {
    if (error instanceof FaultOptionsError)
      throw new UsageError(
        messages.faultsInvalid(error.source, error.path, error.problem)
      );
    throw error;
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT')
    return 'no such file';
  return error instanceof Error ? error.message : String(error);
}

export const orgStart: Command = {
  id: 'org start',
  async run(args, io): Promise<Outcome<OrgStartResult>> {
    const options = parseOrgStart(args, io);
    const org = await startLocalOrg({
      port: options.port,
      dbPath: options.dbPath,
      ...(options.forceAppDir ? { forceAppDir: options.forceAppDir } : {}),
      ...(options.faults ? { faults: options.faults.options } : {})
    });
    const authFile = authFilePath(io.env, io.cwd);
    writeLocalAuth(
      {
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        dbPath: options.dbPath,
        pid: process.pid
      },
      authFile
    );
    return {
      status: 0,
      result: {
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        authFile,
        dbPath: options.dbPath,
        faultsFile: options.faults?.file ?? null
      },
      warnings: [],
      human: messages.orgStarted(
        org.instanceUrl,
        org.accessToken,
        authFile,
        options.faults && {
          file: options.faults.file,
          rules: options.faults.options.rules.length,
          seed: options.faults.options.seed
        }
      ),
      untilStopped: async (): Promise<Stopped<OrgStopResult>> => {
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await org.stop();
        forgetIfOurs(authFile, org.instanceUrl);
        const calls = org.counters.snapshot();
        const byEndpoint = org.faults.injectedSnapshot();
        return {
          human: messages.orgStopped(calls, byEndpoint),
          result: {
            instanceUrl: org.instanceUrl,
            calls,
            faultsInjected: { total: org.faults.injectedCount(), byEndpoint }
          }
        };
      }
    };
  }
};

/** A stopped org leaves no record behind, unless another `org start` has recorded itself since. */
function forgetIfOurs(authFile: string, instanceUrl: string): void {
  try {
    if (readLocalAuth(authFile)?.instanceUrl === instanceUrl)
      rmSync(authFile, { force: true });
  } catch {
    // A damaged record is reported by whoever reads it next; stopping must still succeed.
  }
}
