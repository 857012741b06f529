/**
 * Composite (/composite): up to 25 subrequests run in order in one call, later ones referring
 * to earlier results as @{referenceId.field}. With allOrNone the whole call is one transaction;
 * the first failure rolls everything back and the remaining subrequests report PROCESSING_HALTED.
 */
import type { OrgContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { commitIf } from '../transaction.ts';
import { scalarText } from '../values.ts';
import {
  isObject,
  json,
  jsonObjectBody,
  type ApiRequest,
  type ApiResponse,
  type Handler
} from '../http-types.ts';

export const MAX_SUBREQUESTS = 25;

export type Dispatch = (ctx: OrgContext, req: ApiRequest) => ApiResponse;

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

function lookup(results: Map<string, unknown>, expression: string): unknown {
  const [ref = '', ...path] = expression.split('.');
  const invalid = (): ApiError =>
    new ApiError(
      400,
      'INVALID_REFERENCE',
      `Invalid reference specified. No value for ${expression} found in ${ref}.`
    );
  if (!results.has(ref)) throw invalid();
  let value = results.get(ref);
  for (const part of path) {
    const index = /^(.*)\[(\d+)\]$/.exec(part);
    if (index) {
      const container = index[1]
        ? isObject(value)
          ? value[index[1]]
          : undefined
        : value;
      value = Array.isArray(container)
        ? container[Number(index[2])]
        : undefined;
    } else {
      value = isObject(value) ? value[part] : undefined;
    }
    if (value === undefined) throw invalid();
  }
  return value;
}

/** Replaces @{ref.path} in strings (URLs and body values) with earlier results. */
function resolve(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([^}]+)\}$/.exec(value);
    if (whole?.[1]) return lookup(results, whole[1]);
    return value.replace(/@\{([^}]+)\}/g, (_m, expr: string) =>
      String(lookup(results, expr))
    );
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, results));
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolve(v, results)])
    );
  return value;
}

export function compositeHandler(dispatch: Dispatch): Handler {
  return (ctx, req) => {
    const body = jsonObjectBody(req);
    const subrequests = body.compositeRequest;
    if (
      !Array.isArray(subrequests) ||
      subrequests.length === 0 ||
      !subrequests.every(isObject)
    ) {
      throw new ApiError(
        400,
        'JSON_PARSER_ERROR',
        'compositeRequest: expected a non-empty array of subrequests'
      );
    }
    if (subrequests.length > MAX_SUBREQUESTS) {
      throw new ApiError(
        400,
        'LIMIT_EXCEEDED',
        `Limit Exceeded. Maximum number of subrequests allowed is ${String(MAX_SUBREQUESTS)}.`
      );
    }
    const allOrNone = body.allOrNone === true;
    const results = new Map<string, unknown>();
    const out: SubResult[] = [];
    const run = (): void => {
      for (const sub of subrequests) {
        const referenceId = scalarText(sub.referenceId);
        if (allOrNone && out.some(failed)) {
          out.push(halted(referenceId));
          continue;
        }
        let response: ApiResponse;
        try {
          const url = String(resolve(sub.url, results));
          const parsed = new URL(url, 'http://composite');
          response = dispatch(ctx, {
            method: scalarText(sub.method ?? 'GET').toUpperCase(),
            path: parsed.pathname,
            query: parsed.searchParams,
            headers: {
              'content-type': 'application/json',
              ...(isObject(sub.httpHeaders) ? lowerKeys(sub.httpHeaders) : {})
            },
            body:
              sub.body === undefined
                ? ''
                : JSON.stringify(resolve(sub.body, results)),
            ...(allOrNone ? { allOrNone: true as const } : {})
          });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          response = { status: error.status, body: error.toBody() };
        }
        if (response.status < 400) results.set(referenceId, response.body);
        out.push({
          body: response.body ?? null,
          httpHeaders: {},
          httpStatusCode: response.status,
          referenceId
        });
      }
    };
    if (!allOrNone) {
      run();
      return json(200, { compositeResponse: out });
    }
    const committed = commitIf(ctx.db, () => {
      run();
      return !out.some(failed);
    });
    if (committed) return json(200, { compositeResponse: out });
    // Everything before the failure was rolled back with it.
    const failedAt = out.findIndex(failed);
    return json(200, {
      compositeResponse: out.map((r, i) =>
        i < failedAt ? halted(r.referenceId) : r
      )
    });
  };
}

/**
 * Whether a subrequest failed: an error status, or (sObject Collections answer 200 with a
 * result per record) a record that was not saved.
 */
function failed(result: SubResult): boolean {
  if (result.httpStatusCode >= 400) return true;
  return (
    Array.isArray(result.body) &&
    result.body.some((r) => isObject(r) && r.success === false)
  );
}

function halted(referenceId: string): SubResult {
  return {
    body: [
      {
        errorCode: 'PROCESSING_HALTED',
        message:
          'The transaction was rolled back since another operation in the same transaction failed.'
      }
    ],
    httpHeaders: {},
    httpStatusCode: 400,
    referenceId
  };
}

function lowerKeys(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])
  );
}
