/** Where `incident org start` records the local org's URL and token, so `--target-org local` can find them. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalAuth {
  instanceUrl: string;
  accessToken: string;
  dbPath: string;
  pid: number;
}

export const LOCAL_ORG_ALIAS = 'local';

export function authFilePath(cwd = process.cwd()): string {
  return path.join(cwd, '.local-org', 'auth.json');
}

export function writeLocalAuth(auth: LocalAuth, file = authFilePath()): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(auth, null, 2)}\n`, { mode: 0o600 });
}

/** The recorded local org, or undefined when none was started here. */
export function readLocalAuth(file = authFilePath()): LocalAuth | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalAuth;
  } catch {
    return undefined;
  }
}
