import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

/**
 * Shows a friendly message for one or more errors, with the underlying messages behind a
 * details toggle so users can pass them on to an admin, and, when the section that failed can
 * load again, a "Try again" button that fires `retry` for that section to reload itself.
 */
export default class ErrorPanel extends LightningElement {
  /** A single error or an array of errors, in any shape reduceErrors understands. */
  @api errors;
  @api friendlyMessage = 'Something went wrong while loading this data.';
  /** True when the owner handles `retry`: only then is "Try again" offered. */
  @api retryable = false;

  showDetails = false;

  get messages() {
    return reduceErrors(this.errors).map((text, index) => ({
      key: `${index}`,
      text
    }));
  }

  get hasMessages() {
    return this.messages.length > 0;
  }

  get ariaExpanded() {
    return String(this.showDetails);
  }

  get toggleLabel() {
    return this.showDetails ? 'Hide details' : 'Show details';
  }

  handleToggle() {
    this.showDetails = !this.showDetails;
  }

  handleRetry() {
    this.dispatchEvent(new CustomEvent('retry'));
  }
}
