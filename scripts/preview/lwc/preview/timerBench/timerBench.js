import { LightningElement } from 'lwc';
import getConsole from '@salesforce/apex/IncidentConsoleController.getConsole';
import { currentRoute } from 'preview/router';

/**
 * The benchmark's page of many SLA timers for one incident (#/bench/timers/<count>/<Id>): all
 * timers on a page must share one ticker, so the live interval count stays 1.
 */
export default class TimerBench extends LightningElement {
  route = currentRoute();
  timers = [];
  error;

  connectedCallback() {
    getConsole({ recordId: this.route.recordId }).then(
      (data) => {
        this.timers = Array.from({ length: this.route.count }, (_, index) => ({
          key: `timer-${index}`,
          data
        }));
      },
      (error) => {
        this.error = error?.body?.message ?? String(error);
      }
    );
  }
}
