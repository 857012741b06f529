/** Where `incident org start` records the local org's URL and token, so `--target-org local` can find them. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.ts';
import { messages } from './messages.ts';

export interface LocalAuth {
  instanceUrl: string;
  accessToken: string;
  dbPath: string;
  pid: number;
}

/** The `--target-org` value that means "the local org recorded here", never an sf alias. */
export const LOCAL_ORG_ALIAS = 'local';

/** Overrides the `.local-org` folder (auth file and default database), e.g. for tests. */
export const LOCAL_ORG_DIR_ENV = 'INCIDENT_LOCAL_ORG_DIR';

export type Env = Readonly<Record<string, string | undefined>>;

export function localOrgDir(
  env: Env = process.env,
  cwd = process.cwd()
): string {
  const override = env[LOCAL_ORG_DIR_ENV];
  return override ? path.resolve(cwd, override) : path.join(cwd, '.local-org');
}

export function authFilePath(
  env: Env = process.env,
  cwd = process.cwd()
): string {
  return path.join(localOrgDir(env, cwd), 'auth.json');
}

export function writeLocalAuth(auth: LocalAuth, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(auth, null, 2)}\n`, { mode: 0o600 });
}

/** The recorded local org, or undefined when none was started here; a damaged file is an error naming it. */
export function readLocalAuth(file: string): LocalAuth | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(messages.localAuthInvalid(file, 'not valid JSON'));
  }
  if (!isRecord(parsed))
    throw new UsageError(messages.localAuthInvalid(file, 'not a JSON object'));
  for (const field of ['instanceUrl', 'accessToken'] as const) {
    if (typeof parsed[field] !== 'string' || parsed[field] === '')
      throw new UsageError(
        messages.localAuthInvalid(file, `"${field}" must be a non-empty string`)
      );
  }
  return {
    instanceUrl: parsed.instanceUrl as string,
    accessToken: parsed.accessToken as string,
    dbPath: typeof parsed.dbPath === 'string' ? parsed.dbPath : '',
    pid: typeof parsed.pid === 'number' ? parsed.pid : 0
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
