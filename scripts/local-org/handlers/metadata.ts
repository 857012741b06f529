/**
 * Metadata API (SOAP, /services/Soap/m/<version>): upsertMetadata, readMetadata and
 * listMetadata for CustomMetadata records, in the envelopes jsforce's metadata API sends
 * and parses. Other types or calls answer a SOAP fault naming what is not supported.
 */
import { XMLParser } from 'fast-xml-parser';
import type { OrgContext } from '../context.ts';
import { upsertCustomMetadata } from '../custom-metadata.ts';
import { ApiError } from '../errors.ts';
import { isObject, type ApiRequest, type ApiResponse } from '../http-types.ts';
import { quote, type Row } from '../storage.ts';
import { scalarText } from '../values.ts';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true
});

export const asArray = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

/** A SOAP response envelope; `namespace` is the API's (Metadata, or the partner API's urn). */
export function envelope(body: string, namespace = METADATA_NS): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${namespace}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

export function soapFault(code: string, message: string): ApiResponse {
  return {
    status: 500,
    contentType: 'text/xml',
    body: envelope(
      `<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${escape(`${code}: ${message}`)}</faultstring></soapenv:Fault>`
    )
  };
}

const ok = (body: string): ApiResponse => ({
  status: 200,
  contentType: 'text/xml',
  body: envelope(body)
});

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (isObject(value)) {
    if (value['@_nil'] === 'true') return null;
    const inner = value['#text'];
    return scalarText(inner);
  }
  return scalarText(value);
}

/** The session id from the SOAP header; jsforce sends the access token there. */
export function soapSession(req: ApiRequest): string | undefined {
  const doc = parseEnvelope(req);
  const header = isObject(doc.Header) ? doc.Header : {};
  const session = isObject(header.SessionHeader)
    ? header.SessionHeader.sessionId
    : undefined;
  return typeof session === 'string' ? session : undefined;
}

export function parseEnvelope(req: ApiRequest): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parser.parse(req.body);
  } catch (error) {
    throw new ApiError(500, 'INVALID_XML', (error as Error).message);
  }
  const env = isObject(parsed) ? parsed.Envelope : undefined;
  if (!isObject(env))
    throw new ApiError(500, 'INVALID_XML', 'Not a SOAP envelope');
  return env;
}

/** The call a SOAP request makes: the Body's first element and its arguments. */
export function soapCall(req: ApiRequest): {
  method: string;
  call: Record<string, unknown>;
} {
  const env = parseEnvelope(req);
  const body = isObject(env.Body) ? env.Body : {};
  const [method, args] = Object.entries(body).find(
    ([k]) => !k.startsWith('@_')
  ) ?? ['', undefined];
  return { method, call: isObject(args) ? args : {} };
}

export function metadataHandler(ctx: OrgContext, req: ApiRequest): ApiResponse {
  const { method, call } = soapCall(req);
  switch (method) {
    case 'upsertMetadata':
      return upsert(ctx, call);
    case 'readMetadata':
      return read(ctx, call);
    case 'listMetadata':
      return list(ctx, call);
    default:
      return soapFault(
        'UNKNOWN_EXCEPTION',
        `The local org does not support the Metadata API call '${method}'`
      );
  }
}

function upsert(ctx: OrgContext, call: Record<string, unknown>): ApiResponse {
  const items = asArray(call.metadata).filter(isObject);
  // The platform allows 200 CustomMetadata components per CRUD call (10 for most other types).
  if (items.length > 200)
    return soapFault(
      'INVALID_ARGUMENT',
      'upsertMetadata accepts at most 200 CustomMetadata components per call'
    );
  const results = items.map((item) => {
    const fullName = text(item.fullName) ?? '';
    const type = scalarText(item['@_type']);
    if (type !== 'CustomMetadata')
      return failure(
        fullName,
        'INVALID_TYPE',
        `The local org upserts only CustomMetadata, not ${type}`
      );
    const dot = fullName.indexOf('.');
    if (dot <= 0)
      return failure(
        fullName,
        'INVALID_CROSS_REFERENCE_KEY',
        `Invalid fullName ${fullName}: expected Type.Record`
      );
    const values: Record<string, unknown> = {};
    for (const entry of asArray(item.values).filter(isObject)) {
      const field = text(entry.field);
      if (field) values[field] = text(entry.value);
    }
    try {
      const outcome = ctx.db.transaction(() =>
        upsertCustomMetadata(ctx, {
          type: `${fullName.slice(0, dot)}__mdt`,
          developerName: fullName.slice(dot + 1),
          label: text(item.label) ?? fullName.slice(dot + 1),
          values
        })
      )();
      return `<result><created>${String(outcome.created)}</created><fullName>${escape(fullName)}</fullName><success>true</success></result>`;
    } catch (error) {
      if (error instanceof ApiError)
        return failure(fullName, error.errorCode, error.message);
      throw error;
    }
  });
  return ok(
    `<upsertMetadataResponse>${results.join('')}</upsertMetadataResponse>`
  );
}

function failure(fullName: string, code: string, message: string): string {
  return `<result><created>false</created><errors><message>${escape(message)}</message><statusCode>${escape(code)}</statusCode></errors><fullName>${escape(fullName)}</fullName><success>false</success></result>`;
}

function customMetadataTypes(ctx: OrgContext): string[] {
  return ctx.registry
    .objects()
    .filter((o) => o.customMetadata)
    .map((o) => o.name);
}

function recordXml(ctx: OrgContext, type: string, row: Row): string {
  const object = ctx.registry.object(type);
  const values = (object?.fields ?? [])
    .filter((f) => f.custom)
    .map((f) => {
      const value = row[f.name];
      if (value === null || value === undefined)
        return `<values><field>${f.name}</field><value xsi:nil="true"/></values>`;
      const xsd =
        typeof value === 'number'
          ? f.type === 'boolean'
            ? 'xsd:boolean'
            : 'xsd:double'
          : 'xsd:string';
      const shown = f.type === 'boolean' ? String(value === 1) : String(value);
      return `<values><field>${f.name}</field><value xsi:type="${xsd}">${escape(shown)}</value></values>`;
    })
    .join('');
  const fullName = `${type.replace(/__mdt$/, '')}.${String(row.DeveloperName)}`;
  return `<records xsi:type="CustomMetadata"><fullName>${escape(fullName)}</fullName><label>${escape(String(row.MasterLabel ?? ''))}</label><protected>false</protected>${values}</records>`;
}

function read(ctx: OrgContext, call: Record<string, unknown>): ApiResponse {
  if (text(call.type) !== 'CustomMetadata')
    return soapFault(
      'INVALID_TYPE',
      `The local org reads only CustomMetadata, not ${String(text(call.type))}`
    );
  const records = asArray(call.fullNames)
    .map((n) => text(n) ?? '')
    .map((fullName) => {
      const dot = fullName.indexOf('.');
      const type = `${fullName.slice(0, dot)}__mdt`;
      if (
        dot <= 0 ||
        !customMetadataTypes(ctx).some(
          (t) => t.toLowerCase() === type.toLowerCase()
        )
      )
        return '';
      const object = ctx.registry.object(type);
      const row = object
        ? (ctx.store
            .prepared(
              `SELECT * FROM ${quote(object.name)} WHERE "DeveloperName" = ?`
            )
            .get(fullName.slice(dot + 1)) as Row | undefined)
        : undefined;
      return object && row ? recordXml(ctx, object.name, row) : '';
    });
  return ok(
    `<readMetadataResponse><result>${records.join('')}</result></readMetadataResponse>`
  );
}

function list(ctx: OrgContext, call: Record<string, unknown>): ApiResponse {
  const queries = asArray(call.queries).filter(isObject);
  const wanted = queries.some((q) => text(q.type) === 'CustomMetadata');
  const results: string[] = [];
  if (wanted) {
    for (const type of customMetadataTypes(ctx)) {
      const object = ctx.registry.object(type);
      if (!object) continue;
      for (const row of ctx.store.all(object)) {
        const fullName = `${type.replace(/__mdt$/, '')}.${String(row.DeveloperName)}`;
        const when = String(row.LastModifiedDate ?? ctx.now().toISOString());
        results.push(
          `<result><createdById>${ctx.userId}</createdById><createdByName>Local Admin</createdByName><createdDate>${when}</createdDate><fileName>customMetadata/${escape(fullName)}.md</fileName><fullName>${escape(fullName)}</fullName><id>${String(row.Id)}</id><lastModifiedById>${ctx.userId}</lastModifiedById><lastModifiedByName>Local Admin</lastModifiedByName><lastModifiedDate>${when}</lastModifiedDate><manageableState>unmanaged</manageableState><type>CustomMetadata</type></result>`
        );
      }
    }
  }
  return ok(`<listMetadataResponse>${results.join('')}</listMetadataResponse>`);
}
