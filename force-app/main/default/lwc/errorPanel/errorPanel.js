import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

/**
 * Shows a friendly message for one or more errors, with the underlying messages behind a
 * details toggle so users can pass them on to an admin.
 */
export default class ErrorPanel extends LightningElement {
  /** A single error or an array of errors, in any shape reduceErrors understands. */
  @api errors;
  @api friendlyMessage = 'Something went wrong while loading this data.';

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
}
