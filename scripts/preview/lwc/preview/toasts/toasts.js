/* global document -- browser code: the linter's globals for scripts/ are Node's */
import { LightningElement } from 'lwc';

const SHOW_TOAST_EVENT_NAME = 'lightning__showtoast';
/** How long a success or info toast stays; errors stay until closed, as on the platform. */
const DISMISS_AFTER_MS = 8000;
const THEMES = {
  success: 'slds-theme_success',
  warning: 'slds-theme_warning',
  error: 'slds-theme_error',
  info: 'slds-theme_info'
};

/**
 * Shows the toasts components raise with ShowToastEvent, as the Lightning container does on
 * the platform: the event bubbles to the document, this listens there.
 */
export default class Toasts extends LightningElement {
  toasts = [];
  nextId = 1;

  connectedCallback() {
    this.onToast = (event) => this.show(event.detail ?? {});
    document.addEventListener(SHOW_TOAST_EVENT_NAME, this.onToast);
  }

  disconnectedCallback() {
    document.removeEventListener(SHOW_TOAST_EVENT_NAME, this.onToast);
  }

  show({ title, message, variant = 'info' }) {
    const id = this.nextId++;
    this.toasts = [
      ...this.toasts,
      {
        id,
        title,
        message,
        variant,
        className: `slds-notify slds-notify_toast ${THEMES[variant] ?? THEMES.info}`
      }
    ];
    if (variant !== 'error') {
      setTimeout(() => this.dismiss(id), DISMISS_AFTER_MS);
    }
  }

  dismiss(id) {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }

  handleClose(event) {
    this.dismiss(Number(event.currentTarget.dataset.id));
  }
}
