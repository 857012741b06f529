import { LightningElement } from 'lwc';
import { currentRoute, onRouteChange } from 'preview/router';

/**
 * The preview's page shell: a header with the way back to the list, the current page (the
 * incident list or one record page) and the toasts the components raise.
 */
export default class App extends LightningElement {
  route = currentRoute();

  connectedCallback() {
    this.stopListening = onRouteChange((route) => {
      this.route = route;
    });
  }

  disconnectedCallback() {
    this.stopListening?.();
  }

  get isList() {
    return this.route.page === 'list';
  }

  get isTimerBench() {
    return this.route.page === 'timers';
  }

  /** One entry keyed by record: a new record gets a new page component, not a stale one. */
  get recordPages() {
    return this.route.page === 'record' ? [{ key: this.route.key }] : [];
  }
}
