/**
 * Writes a generated data file (scripts/verify/data/*.json) as prettier would, so the format
 * check passes on a freshly generated file.
 */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

/** The text of a generated data file: the JSON as prettier formats it for `out`. */
export async function formatGeneratedJson(
  out: string,
  data: unknown
): Promise<string> {
  const options = (await resolveConfig(out)) ?? {};
  return format(JSON.stringify(data), { ...options, filepath: out });
}

export async function writeGeneratedJson(
  out: string,
  data: unknown
): Promise<void> {
  writeFileSync(out, await formatGeneratedJson(out, data));
}
