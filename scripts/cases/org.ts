/** Reading an org page by page through the shared client (C7): what link, detect and sync share. */
import type { OrgClient, OrgConnection } from '../org-client/index.ts';

/**
 * A query's records one page at a time, through the client's own paging (OrgClient.queryPages),
 * so a caller can stream a large result instead of holding it.
 */
export function queryPages<T>(
  client: OrgClient,
  soql: string,
  options: { all?: boolean } = {}
): AsyncGenerator<T[]> {
  return client.queryPages<T>(soql, options);
}

/** Every record of a query; for results known to be small (ids of one batch, one incident's items). */
export function queryEvery<T>(client: OrgClient, soql: string): Promise<T[]> {
  return client.queryAll<T>(soql);
}

/** The client's SOQL IN list (quoted and escaped values), under the name link, detect and sync use. */
export { soqlList } from '../org-client/index.ts';

/** Splits a list into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size)
    out.push(items.slice(at, at + size));
  return out;
}

/** What the library needs of a jsforce Connection: the shared client's view of one. */
export type CasesConnection = OrgConnection;
