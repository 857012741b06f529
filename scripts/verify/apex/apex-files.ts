import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const APEX_EXTENSIONS = ['.cls', '.trigger'];

/** Every Apex class and trigger below `root`, sorted, so runs and reports are stable. */
export function listApexFiles(root: string): string[] {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${root}: not a directory`);
  }
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((entry) =>
      APEX_EXTENSIONS.some((extension) => entry.endsWith(extension))
    )
    .map((entry) => join(root, entry))
    .filter((file) => statSync(file).isFile())
    .sort();
}
