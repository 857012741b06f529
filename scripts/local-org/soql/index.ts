/**
 * The local org's SOQL engine: parses a query, compiles it to one parameterised SQLite query
 * over the per-object tables (plus one query per child subquery), and returns the full result
 * in Salesforce REST JSON shapes. The server pages the result.
 */
import type { Database } from 'better-sqlite3';
import type { SchemaRegistry } from '../../schema/types.ts';
import { API_VERSION, type OrgContext } from '../context.ts';
import {
  runAggregateQuery,
  isAggregateQuery,
  isCountQuery
} from './aggregate.ts';
import type { EngineContext } from './context.ts';
import { parseSoql } from './parse.ts';
import { openRecordQuery, runRecordQuery } from './records.ts';
import type { QueryResult, RecordCursor } from './records.ts';
import { AliasSequence } from './scope.ts';
import { registerSqlFunctions } from './sql-functions.ts';

export { describeQueryColumns } from './columns.ts';
export type { QueryColumn, QueryColumnsDescription } from './columns.ts';
export { SoqlError } from './errors.ts';
export type { SoqlErrorCode } from './errors.ts';
export type { QueryResult, RecordCursor } from './records.ts';

export interface SoqlOptions {
  /** e.g. '64.0', used in record attribute URLs. */
  apiVersion: string;
  /** The instant date literals (TODAY, LAST_N_DAYS:n, ...) are relative to. */
  now?: Date;
  /** IANA time zone of the org, in which date literals are evaluated. Default UTC. */
  timeZone?: string;
  /** queryAll: include deleted records (the recycle bin). Default false. */
  includeDeleted?: boolean;
}

function engineFor(
  db: Database,
  registry: SchemaRegistry,
  options: SoqlOptions
): EngineContext {
  registerSqlFunctions(db);
  return {
    db,
    registry,
    now: options.now ?? new Date(),
    timeZone: options.timeZone ?? 'UTC',
    urlBase: `/services/data/v${options.apiVersion}/sobjects/`,
    aliases: new AliasSequence(),
    includeDeleted: options.includeDeleted === true
  };
}

export function executeSoql(
  db: Database,
  registry: SchemaRegistry,
  soql: string,
  options: SoqlOptions
): QueryResult {
  const ctx = engineFor(db, registry, options);
  const query = parseSoql(soql);
  const countOnly = isCountQuery(query);
  if (countOnly || isAggregateQuery(query))
    return runAggregateQuery(ctx, query, countOnly);
  return runRecordQuery(ctx, query);
}

/**
 * A query the org's own automation runs while it saves (the local org's stand-in for SOQL in
 * an Apex trigger): the whole result's records, as the REST API returns them, with the org's
 * clock and time zone for date literals.
 */
export function queryInOrg(
  ctx: Pick<OrgContext, 'db' | 'registry' | 'now' | 'timeZone'>,
  soql: string
): Record<string, unknown>[] {
  return executeSoql(ctx.db, ctx.registry, soql, {
    apiVersion: API_VERSION,
    now: ctx.now(),
    timeZone: ctx.timeZone
  }).records;
}

/**
 * The query as a cursor the REST API pages through: record queries read each page when it
 * is asked for; aggregate results (small by nature) are computed whole.
 */
export function openSoql(
  db: Database,
  registry: SchemaRegistry,
  soql: string,
  options: SoqlOptions
): RecordCursor {
  const ctx = engineFor(db, registry, options);
  const query = parseSoql(soql);
  const countOnly = isCountQuery(query);
  if (countOnly || isAggregateQuery(query)) {
    const result = runAggregateQuery(ctx, query, countOnly);
    return {
      totalSize: result.totalSize,
      read: (offset, count) => result.records.slice(offset, offset + count)
    };
  }
  return openRecordQuery(ctx, query);
}
