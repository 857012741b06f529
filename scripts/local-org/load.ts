/** Bulk record loading through sObject Collections (200 a call), for seeding and the benchmark. */
import type { Connection } from 'jsforce';

export interface LoadResult {
  ids: string[];
  calls: number;
}

/** Inserts records in collection calls of up to 200; throws on the first record that fails. */
export async function insertViaCollections(
  conn: Connection,
  type: string,
  records: Record<string, unknown>[]
): Promise<LoadResult> {
  const ids: string[] = [];
  let calls = 0;
  for (let start = 0; start < records.length; start += 200) {
    const chunk = records
      .slice(start, start + 200)
      .map((r) => ({ attributes: { type }, ...r }));
    const results = await conn.request<
      { id: string | null; success: boolean; errors: { message: string }[] }[]
    >({
      method: 'POST',
      url: `/services/data/v${conn.version}/composite/sobjects`,
      body: JSON.stringify({ allOrNone: true, records: chunk }),
      headers: { 'content-type': 'application/json' }
    });
    calls += 1;
    for (const [i, result] of results.entries()) {
      if (!result.success || !result.id)
        throw new Error(
          `${type} record ${String(start + i)}: ${result.errors.map((e) => e.message).join('; ')}`
        );
      ids.push(result.id);
    }
  }
  return { ids, calls };
}
