/** Reading an org page by page through the shared client (C7): what link, detect and sync share. */
import type { OrgClient, OrgConnection } from '../org-client/index.ts';

interface QueryPage<T> {
  done: boolean;
  totalSize: number;
  records: T[];
  nextRecordsUrl?: string;
}

/**
 * Yields a query's records one page at a time (2,000 a page on the platform), so a caller can
 * stream a large result instead of holding it; every page read retries through the client.
 */
export async function* queryPages<T>(
  client: OrgClient,
  soql: string,
  options: { all?: boolean } = {}
): AsyncGenerator<T[]> {
  const resource = options.all ? 'queryAll' : 'query';
  const first = `/services/data/v${client.conn.version}/${resource}?q=${encodeURIComponent(soql)}`;
  let url: string | undefined = first;
  while (url !== undefined) {
    const at: string = url;
    const page: QueryPage<T> = await client.read(
      url === first ? `${resource} ${soql.slice(0, 60)}` : 'queryMore',
      () => client.conn.request<QueryPage<T>>({ method: 'GET', url: at })
    );
    if (page.records.length > 0) yield page.records;
    url = page.done ? undefined : page.nextRecordsUrl;
  }
}

/** Every record of a query; for results known to be small (ids of one batch, one incident's items). */
export async function queryEvery<T>(
  client: OrgClient,
  soql: string
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of queryPages<T>(client, soql)) out.push(...page);
  return out;
}

/** A SOQL IN list of ids or keys; the values are quoted and escaped. */
export function soqlList(values: Iterable<string>): string {
  const quoted = [...values].map(
    (v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  );
  return `(${quoted.join(',')})`;
}

/** Splits a list into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size)
    out.push(items.slice(at, at + size));
  return out;
}

/** What the library needs of a jsforce Connection: the shared client's view of one. */
export type CasesConnection = OrgConnection;
