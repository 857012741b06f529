/** `incident org start`: runs the local org in the foreground until interrupted, and records it for --target-org local. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startLocalOrg } from '../../local-org/server.ts';
import type { Command, CommandIo, Outcome } from '../command.ts';
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
  'force-app': { type: 'string' }
} as const;

export interface OrgStartOptions {
  port: number;
  dbPath: string;
  forceAppDir?: string;
}

export interface OrgStartResult {
  instanceUrl: string;
  accessToken: string;
  authFile: string;
  dbPath: string;
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
  return {
    port,
    dbPath: path.resolve(
      io.cwd,
      values.db ?? path.join(localOrgDir(io.env, io.cwd), 'org.db')
    ),
    ...(values['force-app']
      ? { forceAppDir: path.resolve(io.cwd, values['force-app']) }
      : {})
  };
}

export const orgStart: Command = {
  id: 'org start',
  async run(args, io): Promise<Outcome<OrgStartResult>> {
    const options = parseOrgStart(args, io);
    const org = await startLocalOrg({
      port: options.port,
      dbPath: options.dbPath,
      ...(options.forceAppDir ? { forceAppDir: options.forceAppDir } : {})
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
        dbPath: options.dbPath
      },
      warnings: [],
      human: messages.orgStarted(org.instanceUrl, org.accessToken, authFile),
      untilStopped: async () => {
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await org.stop();
        forgetIfOurs(authFile, org.instanceUrl);
        return messages.orgStopped;
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
