/**
 * The preview's HTTP server on 127.0.0.1: the built site, SLDS's assets, and the three
 * server-side parts of the platform the components talk to, each answered from an org's REST
 * API through one jsforce connection:
 *
 *   POST  /apex/<Controller>/<method>               the controllers' stand-ins (APEX_CONTROLLERS)
 *   PATCH /ui-api/records/<id>                      updateRecord (the org's automation runs)
 *   GET   /preview/api/incidents                    the incident list page's rows
 *   GET   /preview/api/records/<id>                 a record page's highlights, details, related lists
 *
 * When the org does not answer, every call fails with a 503 whose message says which org and
 * how to start it, so the page shows that instead of going blank.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  ApexError,
  CONTROLLER_METHODS,
  objectTypeOf
} from './controller/incident-console-controller.ts';
import { incidentRows } from './controller/incident-list.ts';
import { TIMELINE_METHODS } from './controller/timeline-controller.ts';
import { RESPONSE_CONTROLLER_METHODS } from './controller/response-controller.ts';
import { recordDetail } from './controller/record-detail.ts';
import { PROJECT_ROOT } from './build.ts';
import type { OrgClient } from '../org-client/index.ts';

/** A controller stand-in's method, as the /apex route calls it. */
export type ApexStandIn = (
  org: OrgClient,
  params: Record<string, unknown>,
  options: { now?: () => Date }
) => Promise<unknown>;

/**
 * The Apex controllers the components import (`@salesforce/apex/<Controller>.<method>`), each
 * answered by its stand-in under ./controller: one line per controller.
 */
export const APEX_CONTROLLERS: Readonly<
  Record<string, Readonly<Record<string, ApexStandIn>>>
> = {
  IncidentConsoleController: CONTROLLER_METHODS,
  IncidentTimelineController: TIMELINE_METHODS,
  IncidentResponseController: RESPONSE_CONTROLLER_METHODS
};

const SLDS_ASSETS = path.join(
  PROJECT_ROOT,
  'node_modules',
  '@salesforce-ux',
  'design-system',
  'assets'
);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8'
};

export interface PreviewServerOptions {
  /** The built site (buildPreview's outDir). */
  siteDir: string;
  /** The org the page reads and writes, through the shared API client (C7). */
  org: OrgClient;
  /** The org's instance URL, for the message when it does not answer. */
  orgUrl: string;
  /** Simulated latency added to every call the page makes to the org, in milliseconds. */
  latencyMs?: number;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Clock for the controller (tests pin it). */
  now?: () => Date;
}

export interface PreviewServer {
  url: string;
  port: number;
  /** Calls the page made to the server's API routes, by route. */
  calls: Map<string, number>;
  stop(): Promise<void>;
}

interface JsonReply {
  status: number;
  body: unknown;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET'
]);

/**
 * A failure reaching the org at all (refused, reset, unknown host), as opposed to an API
 * error. The code sits somewhere down the cause chain: the shared client's
 * RetriesExhaustedError wraps jsforce's "fetch failed", which wraps undici's socket error.
 */
function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  return isConnectionFailure(cause, depth + 1);
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function orgDown(orgUrl: string, error: unknown): JsonReply {
  return {
    status: 503,
    body: {
      message: `The local org at ${orgUrl} is not answering (${messageOf(error)}). Start it again with npm start.`,
      exceptionType: 'OrgUnavailable'
    }
  };
}

/** An Apex call's failure as the platform sends it to components ({ body: { message } }). */
function apexFailure(orgUrl: string, error: unknown): JsonReply {
  if (error instanceof ApexError)
    return {
      status: 400,
      body: {
        message: error.message,
        exceptionType: 'System.AuraHandledException',
        isUserDefinedException: false
      }
    };
  if (isConnectionFailure(error)) return orgDown(orgUrl, error);
  const errorCode = (error as { errorCode?: unknown }).errorCode;
  return {
    status: 500,
    body: {
      message: messageOf(error),
      exceptionType:
        typeof errorCode === 'string' ? errorCode : 'System.Exception'
    }
  };
}

/** A REST save error in the UI API's shape, which c/ldsUtils.reduceErrors reads. */
function uiApiFailure(orgUrl: string, error: unknown): JsonReply {
  if (isConnectionFailure(error)) return orgDown(orgUrl, error);
  const { errorCode, fields } = error as {
    errorCode?: unknown;
    fields?: unknown;
  };
  const message = messageOf(error);
  const fieldErrors: Record<string, { message: string; errorCode: unknown }[]> =
    {};
  if (Array.isArray(fields))
    for (const field of fields)
      fieldErrors[String(field)] = [{ message, errorCode }];
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  return {
    status: 400,
    body: {
      message,
      statusCode: 400,
      output: {
        errors: hasFieldErrors ? [] : [{ errorCode, message }],
        fieldErrors
      }
    }
  };
}

async function readJson(incoming: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

function sendJson(outgoing: ServerResponse, reply: JsonReply): void {
  outgoing.writeHead(reply.status, {
    'content-type': CONTENT_TYPES['.json'] ?? 'application/json',
    'cache-control': 'no-store'
  });
  outgoing.end(JSON.stringify(reply.body));
}

function sendFile(outgoing: ServerResponse, file: string): void {
  outgoing.writeHead(200, {
    'content-type':
      CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store'
  });
  createReadStream(file).pipe(outgoing);
}

/** A file under root, or undefined when the path leaves it or names no file. */
function fileUnder(root: string, relative: string): string | undefined {
  const file = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`);
  if (!file.startsWith(root + path.sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export async function startPreviewServer(
  options: PreviewServerOptions
): Promise<PreviewServer> {
  const { org, orgUrl, siteDir } = options;
  const latency = options.latencyMs ?? 0;
  const calls = new Map<string, number>();
  const count = (route: string): void => {
    calls.set(route, (calls.get(route) ?? 0) + 1);
  };
  const controllerOptions = options.now ? { now: options.now } : {};

  async function api(
    method: string,
    pathname: string,
    incoming: IncomingMessage
  ): Promise<JsonReply | undefined> {
    const apex = /^\/apex\/(\w+)\/(\w+)$/.exec(pathname);
    if (apex && method === 'POST') {
      const controller = apex[1] ?? '';
      const name = apex[2] ?? '';
      const methods = Object.hasOwn(APEX_CONTROLLERS, controller)
        ? APEX_CONTROLLERS[controller]
        : undefined;
      const run =
        methods && Object.hasOwn(methods, name) ? methods[name] : undefined;
      if (!run)
        return {
          status: 404,
          body: { message: `${controller} has no method ${name}` }
        };
      count(`apex.${name}`);
      const params = (await readJson(incoming)) as Record<string, unknown>;
      await delay(latency);
      try {
        return {
          status: 200,
          body: await run(org, params, controllerOptions)
        };
      } catch (error) {
        return apexFailure(orgUrl, error);
      }
    }
    const record = /^\/ui-api\/records\/(\w+)$/.exec(pathname);
    if (record && method === 'PATCH') {
      count('ui-api.updateRecord');
      const id = record[1] ?? '';
      const { fields } = (await readJson(incoming)) as {
        fields?: Record<string, unknown>;
      };
      await delay(latency);
      try {
        const type = await objectTypeOf(org, id);
        const values = { ...fields, Id: id };
        const [result] = await org.updateRecords(type, [values]);
        if (!result?.success)
          return uiApiFailure(orgUrl, {
            message: (result?.errors ?? []).map((e) => e.message).join(' '),
            errorCode: result?.errors[0]?.statusCode,
            fields: (result?.errors ?? []).flatMap((e) => e.fields ?? [])
          });
        return { status: 200, body: { id, apiName: type, fields: values } };
      } catch (error) {
        return uiApiFailure(orgUrl, error);
      }
    }
    if (pathname === '/preview/api/incidents' && method === 'GET') {
      count('preview.incidents');
      await delay(latency);
      try {
        return {
          status: 200,
          body: await incidentRows(org, options.now?.() ?? new Date())
        };
      } catch (error) {
        return apexFailure(orgUrl, error);
      }
    }
    const detail = /^\/preview\/api\/records\/(\w+)$/.exec(pathname);
    if (detail && method === 'GET') {
      count('preview.record');
      await delay(latency);
      try {
        return { status: 200, body: await recordDetail(org, detail[1] ?? '') };
      } catch (error) {
        return apexFailure(orgUrl, error);
      }
    }
    return undefined;
  }

  const server = createServer((incoming, outgoing) => {
    const method = (incoming.method ?? 'GET').toUpperCase();
    const { pathname } = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    api(method, pathname, incoming)
      .then((reply) => {
        if (reply) {
          sendJson(outgoing, reply);
          return;
        }
        if (method !== 'GET' && method !== 'HEAD') {
          sendJson(outgoing, {
            status: 405,
            body: { message: `${method} ${pathname} is not supported` }
          });
          return;
        }
        const file = pathname.startsWith('/assets/')
          ? fileUnder(SLDS_ASSETS, pathname.slice('/assets/'.length))
          : fileUnder(siteDir, pathname === '/' ? 'index.html' : pathname);
        if (file) sendFile(outgoing, file);
        else
          sendJson(outgoing, {
            status: 404,
            body: { message: `${pathname} not found` }
          });
      })
      .catch((error: unknown) => {
        // A bug here must answer, never hang the page or take the server down.
        sendJson(outgoing, {
          status: 500,
          body: { message: `Preview server error: ${messageOf(error)}` }
        });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    calls,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      })
  };
}
