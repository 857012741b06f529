import { LightningElement, api } from 'lwc';

/**
 * How a console section that loads its own data shows that it is loading or that it failed:
 * a spinner in a box of its own (so it never covers another section), or the error with
 * "Try again", which fires `retry` for the section to load again. Shows nothing otherwise.
 */
export default class SectionStatus extends LightningElement {
  @api loading = false;
  /** What is loading, for screen readers: "Loading the roster". */
  @api loadingText = 'Loading';
  /** The error(s) to show; nothing is shown without one. */
  @api errors;
  /** What failed, in words: "The roster could not be loaded." */
  @api errorText;

  handleRetry() {
    this.dispatchEvent(new CustomEvent('retry'));
  }
}
