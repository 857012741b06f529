/** `incident org start`: runs the local org in the foreground until interrupted. */
import { parseArgs } from 'node:util';
import { startLocalOrg, type LocalOrg } from '../local-org/server.ts';
import { authFilePath, writeLocalAuth } from './local-auth.ts';
import { messages } from './messages.ts';

export class UsageError extends Error {}

export interface OrgStartOptions {
  port: number;
  dbPath: string;
  forceAppDir?: string;
}

export function parseOrgStart(args: string[]): OrgStartOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      'force-app': { type: 'string' }
    },
    strict: true,
    allowPositionals: false
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0..65535, got ${String(values.port)}`);
  return {
    port,
    dbPath: values.db ?? '.local-org/org.db',
    ...(values['force-app'] ? { forceAppDir: values['force-app'] } : {})
  };
}

/** Starts the org and records its credentials; returns it so the caller decides how long it runs. */
export async function startAndRecord(
  options: OrgStartOptions,
  out: (text: string) => void
): Promise<LocalOrg> {
  const org = await startLocalOrg({
    port: options.port,
    dbPath: options.dbPath,
    ...(options.forceAppDir ? { forceAppDir: options.forceAppDir } : {})
  });
  const file = authFilePath();
  writeLocalAuth(
    {
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      dbPath: options.dbPath,
      pid: process.pid
    },
    file
  );
  out(messages.orgStarted(org.instanceUrl, org.accessToken, file));
  return org;
}
