import { refreshApex } from '@salesforce/apex';

/**
 * Error and reload helpers shared by the console components.
 *
 * Wire adapters, `updateRecord` and imperative Apex reject with differently shaped
 * objects (UI API arrays, DML page/field errors, Apex `body.message`, plain JS errors);
 * `reduceErrors` turns any mix of them into the messages a user can act on.
 */

function messagesOf(entries) {
  return (entries ?? []).map((entry) => entry?.message);
}

function fieldErrorMessages(fieldErrors) {
  return Object.values(fieldErrors ?? {}).flatMap((errorsOfField) =>
    messagesOf(errorsOfField)
  );
}

function messagesOfOne(error) {
  const body = error.body;
  if (Array.isArray(body)) {
    return messagesOf(body);
  }
  if (body && typeof body === 'object') {
    const collected = [
      ...messagesOf(body.pageErrors),
      ...fieldErrorMessages(body.fieldErrors),
      ...messagesOf(body.output?.errors),
      ...fieldErrorMessages(body.output?.fieldErrors)
    ];
    if (collected.length > 0) {
      return collected;
    }
    if (typeof body.message === 'string') {
      return [body.message];
    }
  }
  if (typeof error.message === 'string') {
    return [error.message];
  }
  if (typeof error === 'string') {
    return [error];
  }
  return [error.statusText];
}

/**
 * Reduces one or more errors into the list of their messages (duplicates and blanks dropped).
 * @param {unknown} errors a single error or an array of them
 * @returns {string[]}
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  const messages = list
    .filter((error) => error !== null && error !== undefined)
    .flatMap(messagesOfOne);
  return [
    ...new Set(
      messages.filter(
        (message) => typeof message === 'string' && message.trim() !== ''
      )
    )
  ];
}

/**
 * Loads a wired Apex section again (after a save, on "Try again", on refresh).
 *
 * While the wire holds data, refreshApex asks the server and the wire service hands the new
 * value to the component's wire handler; nothing is returned. Once the wire has provisioned
 * an error, refreshApex cannot recover it (the wire service keeps the error: salesforce/lwc
 * issue 3990), so the method is called imperatively and its data returned for the component
 * to show. Errors of either path reject.
 * @param {{data?: unknown, error?: unknown}|undefined} wiredResult the value the wire provisioned
 * @param {(params: object) => Promise<unknown>} apexMethod the same method the wire uses
 * @param {object} params the wire's parameters, resolved
 * @returns {Promise<unknown>} the imperative call's data, or undefined after refreshApex
 */
export async function reloadApex(wiredResult, apexMethod, params) {
  if (wiredResult && wiredResult.data !== undefined && !wiredResult.error) {
    await refreshApex(wiredResult);
    return undefined;
  }
  return apexMethod(params);
}
