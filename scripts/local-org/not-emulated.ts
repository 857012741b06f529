/**
 * The Salesforce APIs the local org does not emulate, each answered with one clear error that
 * names the API, instead of a bare 404 or an error reading a path segment as a record id or
 * an external id field (/sobjects/Account/listviews would otherwise be MALFORMED_ID). REST
 * paths answer 501 FUNCTIONALITY_NOT_ENABLED, Bulk API 1.0 its own XML error, SOAP a fault.
 */
import { ApiError } from './errors.ts';
import type { ApiResponse } from './http-types.ts';

const V = '^/services/data/v\\d+\\.\\d';

/** REST resources under /services/data/vNN.N, by what they are called in the REST API Developer Guide. */
const REST_APIS: { pattern: RegExp; api: string }[] = [
  { pattern: new RegExp(`${V}/tooling(/|$)`), api: 'the Tooling API' },
  {
    pattern: new RegExp(`${V}/(search|parameterizedSearch)(/|$)`),
    api: 'SOSL search'
  },
  {
    pattern: new RegExp(
      `${V}/sobjects/[^/]+/describe/(layouts|compactLayouts|approvalLayouts)(/|$)`
    ),
    api: 'layouts'
  },
  {
    pattern: new RegExp(`${V}/sobjects/[^/]+/listviews(/|$)`),
    api: 'list views'
  },
  {
    pattern: new RegExp(`${V}/sobjects/[^/]+/quickActions(/|$)`),
    api: 'quick actions'
  },
  {
    pattern: new RegExp(`${V}/(recent|sobjects/[^/]+/recent)(/|$)`),
    api: 'recently viewed items'
  },
  { pattern: new RegExp(`${V}/tabs(/|$)`), api: 'tabs' },
  { pattern: new RegExp(`${V}/theme(/|$)`), api: 'themes' },
  {
    pattern: new RegExp(`${V}/(chatter|connect)(/|$)`),
    api: 'Chatter (Connect REST API)'
  },
  { pattern: new RegExp(`${V}/process(/|$)`), api: 'processes and approvals' },
  {
    pattern: new RegExp(`${V}/composite/(graph|batch)(/|$)`),
    api: 'this composite resource'
  },
  {
    pattern: new RegExp(
      `${V}/(actions|analytics|ui-api|async-queries|event|knowledgeManagement|support|licensing)(/|$)`
    ),
    api: 'this REST resource'
  },
  { pattern: /^\/services\/apexrest(\/|$)/, api: 'Apex REST' }
];

/** The error for a REST path of an API the local org does not emulate, or undefined. */
export function notEmulatedRest(path: string): ApiError | undefined {
  const found = REST_APIS.find((entry) => entry.pattern.test(path));
  if (!found) return undefined;
  return new ApiError(
    501,
    'FUNCTIONALITY_NOT_ENABLED',
    `The local org does not emulate ${found.api} (${path}); see the README's local org section for what it speaks`
  );
}

/** Bulk API 1.0 (/services/async/...), jsforce's default for conn.bulk: an asyncapi error. */
export function bulkApiV1(path: string): ApiResponse | undefined {
  if (!/^\/services\/async(\/|$)/.test(path)) return undefined;
  return {
    status: 400,
    contentType: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>FeatureNotEnabled</exceptionCode><exceptionMessage>The local org does not emulate Bulk API 1.0 (/services/async); use Bulk API 2.0 (jsforce: conn.bulk2)</exceptionMessage></error>`
  };
}
