/**
 * The SOAP partner API (/services/Soap/u/<version>), for the two recycle-bin calls REST has no
 * resource for: undelete() and emptyRecycleBin() (SOAP API Developer Guide), as jsforce's
 * conn.soap.undelete / emptyRecycleBin send them. Each id succeeds or fails on its own, as the
 * SOAP API does. Every other partner call answers a SOAP fault saying it is not emulated.
 */
import type { OrgContext } from '../context.ts';
import { purgeRecord, undeleteRecord } from '../dml.ts';
import { ApiError } from '../errors.ts';
import type { ApiRequest, ApiResponse } from '../http-types.ts';
import { scalarText } from '../values.ts';
import { asArray, envelope, escape, soapCall, soapFault } from './metadata.ts';

const PARTNER_NS = 'urn:partner.soap.sforce.com';

function perId(
  ctx: OrgContext,
  ids: unknown[],
  work: (id: string) => string
): string {
  return ids
    .map((raw) => {
      const idText = scalarText(raw);
      try {
        const id = ctx.db.transaction(() => work(idText))();
        return `<result><id>${escape(id)}</id><success>true</success></result>`;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return `<result><errors><message>${escape(error.message)}</message><statusCode>${escape(error.errorCode)}</statusCode></errors><id xsi:nil="true"/><success>false</success></result>`;
      }
    })
    .join('');
}

export function partnerHandler(ctx: OrgContext, req: ApiRequest): ApiResponse {
  const { method, call } = soapCall(req);
  const ids = asArray(call.ids);
  const respond = (results: string): ApiResponse => ({
    status: 200,
    contentType: 'text/xml',
    body: envelope(
      `<${method}Response>${results}</${method}Response>`,
      PARTNER_NS
    )
  });
  switch (method) {
    case 'undelete':
      return respond(perId(ctx, ids, (id) => undeleteRecord(ctx, id)));
    case 'emptyRecycleBin':
      return respond(perId(ctx, ids, (id) => purgeRecord(ctx, id)));
    default:
      return soapFault(
        'UNSUPPORTED_CLIENT',
        `The local org does not emulate the SOAP API call '${method}' (it answers undelete and emptyRecycleBin only); use the REST API`
      );
  }
}
