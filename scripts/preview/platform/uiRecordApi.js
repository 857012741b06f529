/* global window -- browser code: the linter's globals for scripts/ are Node's */
/**
 * Preview stand-in for lightning/uiRecordApi: updateRecord writes through the preview server
 * to the local org's REST API (PATCH of the sObject row), so the local org's automation runs
 * exactly as the Incident trigger runs on the platform. Errors arrive in the UI API's shape
 * ({ body: { message, output: { errors, fieldErrors } } }).
 */
import { postJson } from './http.js';

/** Fired on window after a save, so the page's other views of the record reload (as LDS does). */
export const RECORD_UPDATED_EVENT = 'preview:recordupdated';

export function updateRecord(recordInput) {
  const fields = recordInput?.fields ?? {};
  if (!fields.Id) {
    return Promise.reject({
      status: 400,
      body: { message: 'updateRecord needs fields.Id', output: { errors: [] } }
    });
  }
  return postJson(
    `/ui-api/records/${encodeURIComponent(fields.Id)}`,
    { fields },
    'PATCH'
  ).then((record) => {
    window.dispatchEvent(
      new CustomEvent(RECORD_UPDATED_EVENT, { detail: { id: fields.Id } })
    );
    return record;
  });
}
