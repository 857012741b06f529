import { LightningElement, api, wire } from 'lwc';
import getResponseActions from '@salesforce/apex/IncidentResponseController.getResponseActions';
import { RespondSection } from 'c/respondSection';

/** Incident_Response_Action__c.Status__c values, in the order the summary counts them. */
const STATUSES = ['Done', 'Pending', 'Failed'];

/** The badge says the status in words; the theme only adds to it. */
const STATUS_BADGES = {
  Done: 'slds-badge slds-theme_success step-status',
  Pending: 'slds-badge slds-badge_lightest step-status',
  Failed: 'slds-badge slds-theme_error step-status'
};

/** What the time beside a step means in each status. */
const TIME_LABELS = {
  Done: 'Done',
  Pending: 'Due since',
  Failed: 'Failed'
};

/**
 * The response plan's steps taken on an incident: each step the plan ran (a task for the
 * owner, a feed post, a swarm, a draft customer alert, an escalation), what fired it (severity
 * reached or raised, SLA warning or breach, a status change) and whether it is done, still
 * pending (its Queueable has not run yet) or failed, with why.
 *
 * The steps are written by the automation after a save, so the section loads again whenever
 * the console's own data is reloaded (after a matrix change or the header's refresh): the new
 * severity's steps then show without a page reload.
 */
export default class IncidentResponse extends RespondSection(LightningElement) {
  @api recordId;
  /** Only incidents have a response plan; on problems and change requests nothing renders. */
  @api objectApiName;

  /** The console's data: a new value after the first (a save, a refresh) reloads the steps. */
  @api
  get consoleData() {
    return this.consoleDataValue;
  }
  set consoleData(value) {
    this.followConsole(value);
  }

  consoleDataValue;
  /** getResponseActions' answer. */
  sectionData;
  error;
  reloading = false;
  wiredResult;

  @wire(getResponseActions, { recordId: '$incidentId' })
  wiredActions(result) {
    this.receive(result);
  }

  /** Loads the steps again (the console's refresh, "Try again", a save of the incident). */
  @api
  refresh() {
    return this.reload(getResponseActions);
  }

  get actions() {
    return this.sectionData;
  }

  get hasSteps() {
    return (this.actions ?? []).length > 0;
  }

  get title() {
    return this.actions
      ? `Response steps (${this.actions.length})`
      : 'Response steps';
  }

  get counts() {
    const actions = this.actions ?? [];
    return STATUSES.map((status) => ({
      key: status,
      label: status,
      value: actions.filter((action) => action.status === status).length
    }));
  }

  /** Newest first, as the controller sends them. */
  get steps() {
    return (this.actions ?? []).map((action) => {
      const status = STATUSES.includes(action.status)
        ? action.status
        : 'Pending';
      return {
        ...action,
        label: action.stepLabel || action.stepName,
        statusLabel: status,
        badgeClass: STATUS_BADGES[status],
        timeLabel: `${TIME_LABELS[status]}: `,
        time:
          status === 'Pending'
            ? action.createdAt
            : (action.completedAt ?? action.createdAt),
        triggerText: action.triggerName
          ? `Trigger: ${action.triggerName}`
          : null,
        showError: status === 'Failed' && !!action.error
      };
    });
  }

  handleRetry() {
    return this.refresh();
  }
}
