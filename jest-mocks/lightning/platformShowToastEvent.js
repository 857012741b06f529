/**
 * Stand-in for lightning/platformShowToastEvent. The platform shows the toast when the event
 * reaches the page; in jest the event simply bubbles, so tests listen for
 * `lightning__showtoast` on the component and read `event.detail`.
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
