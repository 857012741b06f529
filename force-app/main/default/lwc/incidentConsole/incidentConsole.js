import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getConsole from '@salesforce/apex/IncidentConsoleController.getConsole';

/**
 * The incident console on Incident, Problem and Change Request record pages: severity
 * matrix, SLA timers, contact roster and linked cases for one record.
 */
export default class IncidentConsole extends LightningElement {
  @api recordId;

  consoleData;
  error;
  wiredConsoleResult;

  @wire(getConsole, { recordId: '$recordId' })
  wiredConsole(result) {
    this.wiredConsoleResult = result;
    const { data, error } = result;
    if (data) {
      this.consoleData = data;
      this.error = undefined;
    } else if (error) {
      this.consoleData = undefined;
      this.error = error;
    }
  }

  get isLoading() {
    return !this.consoleData && !this.error;
  }

  get title() {
    return this.consoleData?.subject
      ? `Incident console: ${this.consoleData.subject}`
      : 'Incident console';
  }

  get summary() {
    const data = this.consoleData;
    const severity = data.severity
      ? `Severity ${data.severity}`
      : 'Severity not set';
    return [
      severity,
      data.priority && `Priority ${data.priority}`,
      data.status && `Status ${data.status}`
    ]
      .filter((part) => !!part)
      .join(' · ');
  }

  /** Urgency and impact changed: the trigger recomputed severity and SLA, so reload. */
  handleAssessmentSaved() {
    return refreshApex(this.wiredConsoleResult);
  }
}
