/**
 * Parses SOQL with @jetstreamapp/soql-parser-js and rejects the clauses the local org does
 * not execute, so that nothing reaches the compiler that it could silently ignore.
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { Query, Subquery, QueryBase } from '@jetstreamapp/soql-parser-js';
import { malformed, unsupported } from './errors.ts';

export function parseSoql(soql: string): Query {
  let query: Query;
  try {
    query = parseQuery(soql);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw malformed(`unexpected token in query: ${detail}`);
  }
  if (query.sObject === undefined)
    throw malformed('unexpected token: missing FROM clause');
  rejectUnsupportedClauses(query);
  return query;
}

/** Clauses that change results in ways the local org does not model. */
export function rejectUnsupportedClauses(query: QueryBase | Subquery): void {
  if (query.usingScope !== undefined) throw unsupported('USING SCOPE');
  if (query.withDataCategory !== undefined)
    throw unsupported('WITH DATA CATEGORY');
  if (query.for !== undefined) throw unsupported(`FOR ${query.for}`);
  if (query.update !== undefined) throw unsupported(`UPDATE ${query.update}`);
  // WITH SECURITY_ENFORCED / USER_MODE / SYSTEM_MODE are accepted: the local org has a single
  // all-powerful user, so every mode returns the same rows.
  if ('sObjectPrefix' in query && query.sObjectPrefix !== undefined) {
    throw unsupported('A prefixed relationship in a subquery FROM clause');
  }
}
