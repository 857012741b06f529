/**
 * startLocalOrg: the local org's HTTP server on 127.0.0.1. Each request is handled
 * synchronously against SQLite once its body has arrived, so requests never interleave and
 * each is one transaction: no lost updates between parallel writers.
 *
 * Bulk API 2.0 uploads are the one body not held whole: the server stores it in the job
 * store's pieces as it arrives (bulk2-store.ts), and result files are sent a page at a time,
 * so neither grows memory with the row count. Storing a piece touches only the store.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Database as DatabaseType } from 'better-sqlite3';
import { fillMissingNames } from './automation.ts';
import { startSlaSweep } from './automation-timeline.ts';
import { PROJECT_SAVE_HANDLERS } from './automations.ts';
import type { OrgContext, SaveHandlers } from './context.ts';
import { upsertCustomMetadata } from './custom-metadata.ts';
import { ApiError, notFound } from './errors.ts';
import {
  CallCounters,
  FaultInjector,
  type FaultKind,
  type FaultOptions
} from './faults.ts';
import {
  metadataHandler,
  soapFault,
  soapSession
} from './handlers/metadata.ts';
import { partnerHandler } from './handlers/partner.ts';
import {
  attachBulkStore,
  BodyTooLarge,
  dropSpool,
  spoolBody
} from './handlers/bulk2-store.ts';
import { bulkApiV1 } from './not-emulated.ts';
import type { ApiRequest, ApiResponse, SpooledBody } from './http-types.ts';
import { MultipleChoices } from './dml.ts';
import { buildRoutes, match, type Endpoint } from './router.ts';
import { loadOrgSchema } from './schema.ts';
import { identityOf, provisionSetup, seedNewOrg } from './seed.ts';
import { ensureTables, getMeta, setMeta, Store } from './storage.ts';
import { ApiUsage } from './usage.ts';

export interface LocalOrgOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** SQLite file; ':memory:' for a throwaway org. Default .local-org/org.db under the working directory. */
  dbPath?: string;
  /** force-app to deploy at start; default the project's force-app. Pass null for standard objects only. */
  forceAppDir?: string | null;
  /** Runs once on a fresh database, after the org is provisioned (demo data). */
  seed?: (ctx: OrgContext) => void;
  faults?: FaultOptions;
  /** Org time zone for SOQL date literals and the default business hours. */
  timeZone?: string;
  /** Clock, for tests of time-dependent automation. */
  now?: () => Date;
  /** DailyApiRequests allowance. */
  dailyApiRequests?: number;
  /**
   * The org setting "Set Audit Fields upon Record Creation": clients may then insert
   * CreatedDate, CreatedById, LastModifiedDate and LastModifiedById (past dates only) on
   * Account, Case, CaseComment, Contact, EmailMessage, FeedItem and custom objects. Off by
   * default, as on the platform.
   */
  setAuditFields?: boolean;
  /** Largest request body accepted; default 150 MB, the platform's Bulk API 2.0 upload limit. */
  maxRequestBytes?: number;
  /**
   * How often the SLA sweep (the scheduled IncidentSlaMonitor's stand-in) runs while the org
   * runs, in ms; default 60,000; 0 turns it off (tests run it on demand with runSlaSweep).
   */
  slaSweepMs?: number;
  /** The automation run around writes; default the project's (automations.ts). */
  saveHandlers?: SaveHandlers;
}

export interface LocalOrg {
  instanceUrl: string;
  accessToken: string;
  port: number;
  db: DatabaseType;
  ctx: OrgContext;
  counters: CallCounters;
  faults: FaultInjector;
  stop(): Promise<void>;
}

const PROJECT_FORCE_APP = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../force-app'
);
const MAX_REQUEST_BYTES = 150 * 1024 * 1024;
const IDLE_CONNECTION_MS = 120_000;
/** Routes whose request bodies are stored as they arrive instead of read whole. */
const SPOOLED_BODIES = new Set<Endpoint>(['bulk2.ingest.upload']);

function openDatabase(dbPath: string): DatabaseType {
  if (dbPath !== ':memory:')
    mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const db = new Database(dbPath);
  if (dbPath !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // Every record of a batch is a savepoint; with temp files SQLite spills each one's
  // statement journal to disk, which cost more than the writes themselves.
  db.pragma('temp_store = MEMORY');
  return db;
}

const FAULT_RESPONSES: Record<
  Exclude<FaultKind, 'DROP_CONNECTION'>,
  ApiError
> = {
  SERVER_UNAVAILABLE: new ApiError(
    503,
    'SERVER_UNAVAILABLE',
    'Server temporarily unavailable, please retry'
  ),
  UNABLE_TO_LOCK_ROW: new ApiError(
    400,
    'UNABLE_TO_LOCK_ROW',
    'unable to obtain exclusive access to this record or 1 records'
  ),
  REQUEST_LIMIT_EXCEEDED: new ApiError(
    403,
    'REQUEST_LIMIT_EXCEEDED',
    'TotalRequests Limit exceeded.'
  )
};

/**
 * The sf CLI stores instance URLs with a trailing slash and so requests `//services/...`,
 * which Salesforce serves; `new URL` would read `//services` as a host name.
 */
function collapseSlashes(requestUrl: string): string {
  const queryAt = requestUrl.indexOf('?');
  const pathPart = queryAt === -1 ? requestUrl : requestUrl.slice(0, queryAt);
  const queryPart = queryAt === -1 ? '' : requestUrl.slice(queryAt);
  return pathPart.replace(/\/{2,}/g, '/') + queryPart;
}

export async function startLocalOrg(
  options: LocalOrgOptions = {}
): Promise<LocalOrg> {
  const dbPath = options.dbPath ?? path.join('.local-org', 'org.db');
  const forceAppDir =
    options.forceAppDir === null
      ? undefined
      : (options.forceAppDir ??
        (existsSync(PROJECT_FORCE_APP) ? PROJECT_FORCE_APP : undefined));
  const schema = loadOrgSchema(forceAppDir, {
    setAuditFields: options.setAuditFields === true
  });
  const db = openDatabase(dbPath);
  const detachBulkStore = attachBulkStore(db);
  ensureTables(db, schema.registry);
  const now = options.now ?? ((): Date => new Date());
  const identity = db.transaction(() => identityOf({ db }))();
  const ctx: OrgContext = {
    db,
    store: new Store(db),
    registry: schema.registry,
    ...identity,
    instanceUrl: '',
    now,
    timeZone: options.timeZone ?? 'UTC',
    saveHandlers: options.saveHandlers ?? PROJECT_SAVE_HANDLERS
  };
  db.transaction(() => {
    const fresh = seedNewOrg(ctx);
    provisionSetup(ctx, schema.permissionSets);
    fillMissingNames({ store: ctx.store, registry: ctx.registry, now: now() });
    for (const record of schema.customMetadataRecords)
      upsertCustomMetadata(ctx, record);
    if (fresh && options.seed) options.seed(ctx);
  })();
  let accessToken = getMeta(db, 'session');
  if (!accessToken) {
    accessToken = `${identity.orgId.slice(0, 15)}!${randomBytes(32).toString('base64url')}`;
    setMeta(db, 'session', accessToken);
  }
  const token = accessToken;
  const usage = new ApiUsage(db, options.dailyApiRequests);
  const routes = buildRoutes(usage);
  const counters = new CallCounters();
  const faults = new FaultInjector(options.faults);

  const handle = (request: ApiRequest): ApiResponse | 'drop' => {
    let req = request;
    // SOAP: m is the Metadata API, u the partner API; the enterprise API (c) is not emulated.
    const soapApi = /^\/services\/Soap\/([a-z])\/\d+\.\d(?:\/|$)/.exec(
      req.path
    )?.[1];
    const isSoap = soapApi === 'm' || soapApi === 'u';
    if (soapApi !== undefined && !isSoap)
      return soapFault(
        'UNSUPPORTED_CLIENT',
        `The local org does not emulate this SOAP API (/services/Soap/${soapApi}); it answers the Metadata API (m) and the partner API's undelete and emptyRecycleBin (u)`
      );
    const bulkV1 = bulkApiV1(req.path);
    if (bulkV1) return bulkV1;
    const found = isSoap ? undefined : match(routes, req.method, req.path);
    if (!isSoap && !found) throw notFound();
    const name = found
      ? found.route.name
      : soapApi === 'u'
        ? 'partner'
        : 'metadata';
    const call = counters.increment(name);
    if (name !== 'versions') {
      const bearer = /^Bearer (.+)$/i.exec(
        req.headers.authorization ?? ''
      )?.[1];
      const session = isSoap ? soapSession(req) : bearer;
      if (session !== token) {
        if (isSoap)
          return soapFault(
            'INVALID_SESSION_ID',
            'Invalid Session ID found in SessionHeader: Illegal Session'
          );
        throw new ApiError(
          401,
          'INVALID_SESSION_ID',
          'Session expired or invalid'
        );
      }
      // A SOAP client reads a fault in its own envelope (sf:UNABLE_TO_LOCK_ROW...), never JSON.
      const refuse = (error: ApiError): ApiResponse => {
        if (!isSoap) throw error;
        return {
          ...soapFault(error.errorCode, error.message),
          ...(error.status === 503 ? { status: 503 } : {})
        };
      };
      const fault = faults.pick(name, call);
      if (fault?.kind === 'DROP_CONNECTION') return 'drop';
      if (fault && 'lockedRecords' in fault)
        req = { ...req, lockedRecords: fault.lockedRecords };
      else if (fault) return refuse(FAULT_RESPONSES[fault.kind]);
      if (!usage.take(now()))
        return refuse(FAULT_RESPONSES.REQUEST_LIMIT_EXCEEDED);
    }
    // Past the 404 above, a request without a route is a SOAP call.
    if (found) return found.route.handler(ctx, req, found.params);
    return name === 'partner'
      ? partnerHandler(ctx, req)
      : metadataHandler(ctx, req);
  };

  const limit = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const respond = async (
    incoming: IncomingMessage,
    outgoing: ServerResponse
  ): Promise<void> => {
    const url = new URL(
      collapseSlashes(incoming.url ?? '/'),
      'http://127.0.0.1'
    );
    const method = (incoming.method ?? 'GET').toUpperCase();
    const route = match(routes, method, url.pathname)?.route.name;
    let spooled: SpooledBody | undefined;
    let body = '';
    try {
      if (route !== undefined && SPOOLED_BODIES.has(route))
        spooled = await spoolBody(db, incoming, limit);
      else body = await readBody(incoming, limit);
    } catch (error) {
      await send(outgoing, errorResponse(error));
      return;
    }
    const request: ApiRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body,
      ...(spooled ? { spooled } : {})
    };
    let response: ApiResponse | 'drop';
    try {
      response = handle(request);
    } catch (error) {
      response = errorResponse(error);
    } finally {
      // A body no handler kept (refused, or a fault) is not left in the store.
      if (spooled && !spooled.claimed) dropSpool(db, spooled.id);
    }
    if (response === 'drop') {
      incoming.socket.destroy();
      return;
    }
    // Every REST response tells the client its API usage (jsforce: conn.limitInfo).
    if (request.path.startsWith('/services/data/'))
      response = {
        ...response,
        headers: {
          ...response.headers,
          'Sforce-Limit-Info': usage.header(now())
        }
      };
    await send(outgoing, response);
  };
  const server = createServer((incoming, outgoing) => {
    respond(incoming, outgoing).catch((error: unknown) => {
      // Past the headers nothing can be answered any more: end the connection.
      if (outgoing.headersSent) outgoing.destroy();
      else void send(outgoing, errorResponse(error));
    });
  });
  // Node closes a connection idle for 5 s. jsforce's bulk2 serialises a large load (100,000
  // cases: longer than that, its event loop busy) and then sends the upload on the connection
  // its last request left open; a closed one failed the PUT, and jsforce cannot retry an
  // upload stream it has begun to read. Idle connections stay open for two minutes instead
  // (announced in Keep-Alive, so clients that read it retire them first).
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  ctx.instanceUrl = `http://127.0.0.1:${String(port)}`;
  const sweepMs = options.slaSweepMs ?? 60_000;
  const stopSweep = sweepMs > 0 ? startSlaSweep(ctx, sweepMs) : () => undefined;
  return {
    instanceUrl: ctx.instanceUrl,
    accessToken: token,
    port,
    db,
    ctx,
    counters,
    faults,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        stopSweep();
        server.closeAllConnections();
        server.close((error) => {
          detachBulkStore();
          db.close();
          if (error) reject(error);
          else resolve();
        });
      })
  };
}

function readBody(incoming: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(limit));
        incoming.resume();
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    incoming.on('error', reject);
  });
}

function errorResponse(error: unknown): ApiResponse {
  if (error instanceof MultipleChoices)
    return { status: 300, body: error.urls };
  if (error instanceof ApiError)
    return { status: error.status, body: error.toBody() };
  // A bug in the local org must still answer like the platform, and never take the server down.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `local org: unexpected error: ${error instanceof Error ? (error.stack ?? message) : message}\n`
  );
  return {
    status: 500,
    body: [
      {
        errorCode: 'UNKNOWN_EXCEPTION',
        message: `An unexpected error occurred: ${message}`
      }
    ]
  };
}

function contentTypeHeader(contentType: string): string {
  return contentType.includes('charset')
    ? contentType
    : `${contentType};charset=UTF-8`;
}

async function send(
  outgoing: ServerResponse,
  response: ApiResponse
): Promise<void> {
  if (outgoing.headersSent) return;
  const headers: Record<string, string> = { ...response.headers };
  if (response.pieces) {
    headers['Content-Type'] = contentTypeHeader(
      response.contentType ?? 'text/plain'
    );
    outgoing.writeHead(response.status, headers);
    await sendPieces(outgoing, response.pieces);
    return;
  }
  let payload: string | undefined;
  if (response.body !== undefined && response.status !== 204) {
    if (response.contentType) {
      headers['Content-Type'] = contentTypeHeader(response.contentType);
      payload =
        typeof response.body === 'string'
          ? response.body
          : JSON.stringify(response.body);
    } else {
      headers['Content-Type'] = 'application/json;charset=UTF-8';
      payload = JSON.stringify(response.body);
    }
  }
  outgoing.writeHead(response.status, headers);
  outgoing.end(payload);
}

/**
 * Writes a body a piece at a time, reading the next piece only when the client has taken the
 * last (drain), so a slow reader holds the org's memory to one piece. A client that goes away
 * stops the reading.
 */
async function sendPieces(
  outgoing: ServerResponse,
  pieces: Iterable<string>
): Promise<void> {
  const iterator = pieces[Symbol.iterator]();
  try {
    for (
      let next = iterator.next();
      next.done !== true;
      next = iterator.next()
    ) {
      if (outgoing.destroyed) return;
      if (!outgoing.write(next.value))
        await new Promise<void>((resolve) => {
          const done = (): void => {
            outgoing.off('drain', done);
            outgoing.off('close', done);
            resolve();
          };
          outgoing.on('drain', done);
          outgoing.on('close', done);
        });
    }
    outgoing.end();
  } finally {
    iterator.return?.();
  }
}
