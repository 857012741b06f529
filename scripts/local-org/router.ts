/** The REST routes of the local org: method + path pattern → named handler (names key the call counters and faults). */
import { ApiError, notFound } from './errors.ts';
import { notEmulatedRest } from './not-emulated.ts';
import * as bulk2 from './handlers/bulk2.ts';
import * as collections from './handlers/collections.ts';
import { compositeHandler } from './handlers/composite.ts';
import * as identity from './handlers/identity.ts';
import * as query from './handlers/query.ts';
import * as replication from './handlers/replication.ts';
import { createTreeHandler } from './handlers/tree.ts';
import * as sobjects from './handlers/sobjects.ts';
import type { ApiRequest, ApiResponse, Handler } from './http-types.ts';
import type { OrgContext } from './context.ts';
import type { ApiUsage } from './usage.ts';

/**
 * Every name calls are counted under, which fault rules name: one per route below (route()
 * accepts only these), and 'metadata' and 'partner' for the SOAP Metadata and partner APIs,
 * which server.ts handles outside the route table. router.test.ts holds this list and the table to each other.
 */
export const ENDPOINTS = [
  'versions',
  'resources',
  'limits',
  'describe.global',
  'describe.object',
  'sobject.info',
  'sobject.create',
  'sobject.retrieve',
  'sobject.update',
  'sobject.delete',
  'sobject.upsert',
  'sobject.retrieveByExternalId',
  'sobject.deleted',
  'sobject.updated',
  'collections.create',
  'collections.update',
  'collections.delete',
  'collections.retrieve',
  'collections.upsert',
  'query',
  'queryAll',
  'queryMore',
  'bulk2.ingest.create',
  'bulk2.ingest.list',
  'bulk2.ingest.upload',
  'bulk2.ingest.get',
  'bulk2.ingest.patch',
  'bulk2.ingest.delete',
  'bulk2.ingest.successfulResults',
  'bulk2.ingest.failedResults',
  'bulk2.ingest.unprocessedrecords',
  'bulk2.query.create',
  'bulk2.query.get',
  'bulk2.query.abort',
  'bulk2.query.delete',
  'bulk2.query.results',
  'identity',
  'userinfo',
  'composite',
  'composite.tree',
  'metadata',
  'partner'
] as const;

export type Endpoint = (typeof ENDPOINTS)[number];

export interface Route {
  name: Endpoint;
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const V = '/services/data/v(?:\\d+\\.\\d)';
const SEG = '([^/]+)';

function route(
  name: Exclude<Endpoint, 'metadata' | 'partner'>,
  method: string,
  path: string,
  handler: Handler
): Route {
  return { name, method, pattern: new RegExp(`^${path}/?$`), handler };
}

export function buildRoutes(usage: ApiUsage): Route[] {
  const routes: Route[] = [
    route('versions', 'GET', '/services/data', identity.versions),
    route('resources', 'GET', V, identity.resources),
    route('limits', 'GET', `${V}/limits`, identity.limitsHandler(usage)),
    route('describe.global', 'GET', `${V}/sobjects`, sobjects.describeGlobal),
    route(
      'describe.object',
      'GET',
      `${V}/sobjects/${SEG}/describe`,
      sobjects.describeObject
    ),
    route('sobject.info', 'GET', `${V}/sobjects/${SEG}`, sobjects.objectInfo),
    route('sobject.create', 'POST', `${V}/sobjects/${SEG}`, sobjects.createOne),
    route(
      'sobject.deleted',
      'GET',
      `${V}/sobjects/${SEG}/deleted`,
      replication.deletedRecords
    ),
    route(
      'sobject.updated',
      'GET',
      `${V}/sobjects/${SEG}/updated`,
      replication.updatedRecords
    ),
    // POST /sobjects/Account/Id (no id): an upsert on Id that inserts (API 37.0+).
    route(
      'sobject.upsert',
      'POST',
      `${V}/sobjects/${SEG}/${SEG}`,
      sobjects.upsertOne
    ),
    route(
      'sobject.retrieve',
      'GET',
      `${V}/sobjects/${SEG}/${SEG}`,
      sobjects.retrieveOne
    ),
    route(
      'sobject.update',
      'PATCH',
      `${V}/sobjects/${SEG}/${SEG}`,
      sobjects.updateOne
    ),
    route(
      'sobject.delete',
      'DELETE',
      `${V}/sobjects/${SEG}/${SEG}`,
      sobjects.deleteOne
    ),
    route(
      'sobject.upsert',
      'PATCH',
      `${V}/sobjects/${SEG}/${SEG}/${SEG}`,
      sobjects.upsertOne
    ),
    route(
      'sobject.retrieveByExternalId',
      'GET',
      `${V}/sobjects/${SEG}/${SEG}/${SEG}`,
      sobjects.retrieveByExternalId
    ),
    route(
      'collections.create',
      'POST',
      `${V}/composite/sobjects`,
      collections.createMany
    ),
    route(
      'collections.update',
      'PATCH',
      `${V}/composite/sobjects`,
      collections.updateMany
    ),
    route(
      'collections.delete',
      'DELETE',
      `${V}/composite/sobjects`,
      collections.deleteMany
    ),
    route(
      'collections.retrieve',
      'GET',
      `${V}/composite/sobjects/${SEG}`,
      collections.retrieveMany
    ),
    route(
      'collections.retrieve',
      'POST',
      `${V}/composite/sobjects/${SEG}`,
      collections.retrieveMany
    ),
    route(
      'collections.upsert',
      'PATCH',
      `${V}/composite/sobjects/${SEG}/${SEG}`,
      collections.upsertMany
    ),
    route('query', 'GET', `${V}/query`, query.query),
    route('queryAll', 'GET', `${V}/queryAll`, query.query),
    route('queryMore', 'GET', `${V}/query(?:All)?/${SEG}`, query.queryMore),
    route(
      'bulk2.ingest.create',
      'POST',
      `${V}/jobs/ingest`,
      bulk2.createIngestJob
    ),
    route('bulk2.ingest.list', 'GET', `${V}/jobs/ingest`, bulk2.listJobs),
    route(
      'bulk2.ingest.upload',
      'PUT',
      `${V}/jobs/ingest/${SEG}/batches`,
      bulk2.uploadBatch
    ),
    route(
      'bulk2.ingest.get',
      'GET',
      `${V}/jobs/ingest/${SEG}`,
      bulk2.getIngestJob
    ),
    route(
      'bulk2.ingest.patch',
      'PATCH',
      `${V}/jobs/ingest/${SEG}`,
      bulk2.patchIngestJob
    ),
    route(
      'bulk2.ingest.delete',
      'DELETE',
      `${V}/jobs/ingest/${SEG}`,
      bulk2.deleteJob
    ),
    route(
      'bulk2.ingest.successfulResults',
      'GET',
      `${V}/jobs/ingest/${SEG}/successfulResults`,
      bulk2.successfulResults
    ),
    route(
      'bulk2.ingest.failedResults',
      'GET',
      `${V}/jobs/ingest/${SEG}/failedResults`,
      bulk2.failedResults
    ),
    route(
      'bulk2.ingest.unprocessedrecords',
      'GET',
      `${V}/jobs/ingest/${SEG}/unprocessedrecords`,
      bulk2.unprocessedRecords
    ),
    route(
      'bulk2.query.create',
      'POST',
      `${V}/jobs/query`,
      bulk2.createQueryJob
    ),
    route(
      'bulk2.query.get',
      'GET',
      `${V}/jobs/query/${SEG}`,
      bulk2.getQueryJob
    ),
    route(
      'bulk2.query.abort',
      'PATCH',
      `${V}/jobs/query/${SEG}`,
      bulk2.abortQueryJob
    ),
    route(
      'bulk2.query.delete',
      'DELETE',
      `${V}/jobs/query/${SEG}`,
      bulk2.deleteJob
    ),
    route(
      'bulk2.query.results',
      'GET',
      `${V}/jobs/query/${SEG}/results`,
      bulk2.queryResults
    ),
    route(
      'composite.tree',
      'POST',
      `${V}/composite/tree/${SEG}`,
      createTreeHandler
    ),
    route('identity', 'GET', `/id/${SEG}/${SEG}`, identity.identityHandler),
    route('userinfo', 'GET', '/services/oauth2/userinfo', identity.userinfo)
  ];
  routes.push(
    route(
      'composite',
      'POST',
      `${V}/composite`,
      compositeHandler((ctx, req) => dispatch(routes, ctx, req).response)
    )
  );
  return routes;
}

export interface Match {
  route: Route;
  params: string[];
}

export function match(
  routes: Route[],
  method: string,
  path: string
): Match | undefined {
  const unemulated = notEmulatedRest(path);
  if (unemulated) throw unemulated;
  let pathMatched = false;
  for (const candidate of routes) {
    const m = candidate.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (candidate.method === method)
      return {
        route: candidate,
        params: m.slice(1).map((p) => decodeURIComponent(p))
      };
  }
  if (pathMatched)
    throw new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${method}' not allowed. Allowed are ${allowed(routes, path).join(',')}`
    );
  return undefined;
}

function allowed(routes: Route[], path: string): string[] {
  return [
    ...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))
  ];
}

export function dispatch(
  routes: Route[],
  ctx: OrgContext,
  req: ApiRequest
): { name: Endpoint; response: ApiResponse } {
  const found = match(routes, req.method, req.path);
  if (!found) throw notFound();
  return {
    name: found.route.name,
    response: found.route.handler(ctx, req, found.params)
  };
}
