/* global  -- browser code: the linter's globals for scripts/ are Node's */
/**
 * Preview stand-in for lightning/platformShowToastEvent. On the platform the event bubbles to
 * the Lightning container, which shows the toast; in the preview the page shell listens for
 * `lightning__showtoast` on the document and shows it (preview/toasts).
 */
export const SHOW_TOAST_EVENT_NAME = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super(SHOW_TOAST_EVENT_NAME, {
      bubbles: true,
      composed: true,
      cancelable: true,
      detail: toast
    });
  }
}
