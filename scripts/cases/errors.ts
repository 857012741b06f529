/** The errors the cases library throws: bad input is exit 2 (nothing was written), as sf commands report it. */
import { SfError } from '@salesforce/core';

/**
 * Bad input the library refuses before writing anything: an unknown incident, a bad window, the
 * same org twice, an org without the package. sf-plugins-core prints the message and exits with
 * the error's exit code, so commands need no mapping of their own.
 */
export class CasesInputError extends SfError {
  constructor(message: string) {
    super(message, 'CasesInputError', undefined, 2);
  }
}

/** True for a CasesInputError, also one that crossed a module boundary (instanceof can fail there). */
export function isInputError(error: unknown): error is CasesInputError {
  return error instanceof Error && error.name === 'CasesInputError';
}
