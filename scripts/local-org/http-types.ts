/** The server's request/response model: handlers are synchronous functions of a parsed request. */
import type { IncomingHttpHeaders } from 'node:http';
import type { OrgContext } from './context.ts';
import { ApiError, badRequestBody } from './errors.ts';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Instead of `body`: a body the server stored in pieces as it arrived (Bulk API 2.0 uploads). */
  spooled?: SpooledBody;
  /** Batch positions (0-based) whose row lock an injected fault makes fail (collections only). */
  lockedRecords?: readonly number[];
  /**
   * Set by a composite request with allOrNone: its all-or-none applies to each sObject
   * Collections subrequest too, overriding the subrequest's own allOrNone.
   */
  allOrNone?: true;
}

export interface ApiResponse {
  status: number;
  /** JSON-serialised unless `contentType` says otherwise (then it must be a string). */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Instead of `body`: a text body sent a piece at a time as the client reads it (large result
   * files), read lazily, so other requests may run between two pieces.
   */
  pieces?: Iterable<string>;
}

/**
 * A request body stored as it arrived (bulk2-store.ts). A handler that keeps it sets
 * `claimed`; the server drops an unclaimed one when the request ends.
 */
export interface SpooledBody {
  id: number;
  bytes: number;
  claimed: boolean;
}

export type Handler = (
  ctx: OrgContext,
  req: ApiRequest,
  params: string[]
) => ApiResponse;

export const json = (status: number, body?: unknown): ApiResponse =>
  body === undefined ? { status } : { status, body };

/** The JSON body, enforcing Salesforce's rules: a JSON content type and well-formed JSON. */
export function jsonBody(req: ApiRequest): unknown {
  const type = (
    req.headers['content-type'] ?? 'application/json'
  ).toLowerCase();
  if (!type.includes('json')) {
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content type '${type}' not supported for this resource; use application/json`
    );
  }
  if (req.body.trim() === '')
    throw badRequestBody(
      'The HTTP entity body is required, but this request has no entity body.'
    );
  try {
    return JSON.parse(req.body) as unknown;
  } catch (error) {
    throw badRequestBody(
      `Unexpected character in request body: ${(error as Error).message}`
    );
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonObjectBody(req: ApiRequest): Record<string, unknown> {
  const body = jsonBody(req);
  if (!isObject(body))
    throw badRequestBody(
      'Cannot deserialize instance of object from a non-object JSON value'
    );
  return body;
}
