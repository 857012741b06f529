import { LightningElement, api, wire } from 'lwc';
import getResponseActions from '@salesforce/apex/IncidentResponseController.getResponseActions';
import { reloadApex } from 'c/ldsUtils';

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
export default class IncidentResponse extends LightningElement {
  @api recordId;
  /** Only incidents have a response plan; on problems and change requests nothing renders. */
  @api objectApiName;

  /**
   * The console's data (IncidentConsoleController.getConsole). Only its identity matters: a
   * new value after the first means the incident was saved or refreshed, so reload the steps.
   */
  @api
  get consoleData() {
    return this.consoleDataValue;
  }
  set consoleData(value) {
    const reloaded =
      this.consoleDataValue !== undefined && value !== this.consoleDataValue;
    this.consoleDataValue = value;
    if (reloaded && value) {
      this.refresh();
    }
  }

  consoleDataValue;
  actions;
  error;
  reloading = false;
  wiredActionsResult;

  /** Undefined (which holds the wire back) unless the record is an incident. */
  get incidentId() {
    return this.isIncident ? this.recordId : undefined;
  }

  get isIncident() {
    return (
      this.objectApiName === undefined || this.objectApiName === 'Incident'
    );
  }

  @wire(getResponseActions, { recordId: '$incidentId' })
  wiredActions(result) {
    this.wiredActionsResult = result;
    const { data, error } = result;
    if (data) {
      this.actions = data;
      this.error = undefined;
    } else if (error) {
      this.actions = undefined;
      this.error = error;
    }
  }

  /** Loads the steps again (the console's refresh, "Try again", a save of the incident). */
  @api
  async refresh() {
    if (!this.incidentId) {
      return;
    }
    this.reloading = !!this.error;
    try {
      const data = await reloadApex(
        this.wiredActionsResult,
        getResponseActions,
        {
          recordId: this.incidentId
        }
      );
      if (data) {
        this.actions = data;
        this.error = undefined;
      }
    } catch (error) {
      this.actions = undefined;
      this.error = error;
    } finally {
      this.reloading = false;
    }
  }

  get isLoading() {
    return this.reloading || (!this.actions && !this.error);
  }

  get showStatus() {
    return this.isLoading || !!this.error;
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
