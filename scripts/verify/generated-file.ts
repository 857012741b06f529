/**
 * Writes a generated data file (scripts/verify/data/*.json) as prettier would, so the format
 * check passes on a freshly generated file.
 */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

export async function writeGeneratedJson(
  out: string,
  data: unknown
): Promise<void> {
  const options = (await resolveConfig(out)) ?? {};
  writeFileSync(
    out,
    await format(JSON.stringify(data), { ...options, filepath: out })
  );
}
