import { LightningElement, api, wire } from 'lwc';
import getUpdateCadence from '@salesforce/apex/IncidentResponseController.getUpdateCadence';
import { nextUpdateDue } from 'c/incidentRules';
import { subscribe } from 'c/slaTicker';
import { RespondSection } from 'c/respondSection';

const STATE_LABELS = {
  ok: 'On track',
  warning: 'Warning',
  overdue: 'Overdue'
};

const STATE_THEMES = {
  ok: 'slds-theme_success',
  warning: 'slds-theme_warning',
  overdue: 'slds-theme_error'
};

/** The ring's colour per state, as the SLA timers colour theirs. */
const RING_VARIANTS = {
  ok: 'base',
  warning: 'warning',
  overdue: 'expired'
};

export const NO_CADENCE_TEXT =
  'No customer update cadence at this severity: send updates when there is news.';
export const CLOSED_TEXT =
  'The incident is closed: no further updates are due.';

/**
 * Sent communications by incident, so the timer beside the SLA timers resets the moment the
 * Communications section sends one (the two are siblings in the console and share no data).
 * Module state, as c/slaTicker keeps its listeners: one set per page.
 */
const sentListeners = new Set();

/**
 * Tells every next-update timer of the incident that a communication went out at `sentAt`.
 * @param {string} recordId the incident
 * @param {string} sentAt ISO date-time
 */
export function communicationSent(recordId, sentAt) {
  [...sentListeners].forEach((listener) => listener(recordId, sentAt));
}

/**
 * Formats wall-clock minutes as "45 min", "2 h" or "1 d 3 h" (daily cadences are long).
 * @param {number} minutes
 */
export function formatMinutes(minutes) {
  const whole = Math.max(0, Math.round(minutes));
  if (whole < 60) {
    return `${whole} min`;
  }
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const rest = whole % 60;
  if (days > 0) {
    return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
  }
  return rest === 0
    ? `${hours} h`
    : `${hours} h ${String(rest).padStart(2, '0')} min`;
}

/**
 * "Next customer update due": the incident's update cadence (Incident_Sla_Policy__mdt
 * .Update_Minutes__c of its severity) counted from the last update sent, or from detection when
 * none was sent, in wall-clock time (c/incidentRules' nextUpdateDue, the rule the Apex and the
 * local org use too). Warning and overdue like the SLA timers, on their shared ticker.
 */
export default class NextUpdateTimer extends RespondSection(LightningElement) {
  @api recordId;

  /** The console's data: a new value after the first (a save, a refresh) reloads the cadence. */
  @api
  get consoleData() {
    return this.consoleDataValue;
  }
  set consoleData(value) {
    this.followConsole(value);
  }

  consoleDataValue;
  /** getUpdateCadence's answer. */
  sectionData;
  error;
  reloading = false;
  wiredResult;
  now = new Date();
  view = { empty: true };
  unsubscribeTicker;
  sentListener;

  @wire(getUpdateCadence, { recordId: '$incidentId' })
  wiredCadence(result) {
    this.receive(result);
  }

  get cadence() {
    return this.sectionData;
  }

  connectedCallback() {
    this.unsubscribeTicker = subscribe((now) => this.recompute(now));
    this.sentListener = (recordId, sentAt) => {
      if (recordId === this.recordId && this.cadence) {
        // Reset at once from what was sent; the reload then confirms what the org stored.
        this.show({ ...this.cadence, lastSentAt: sentAt });
        this.refresh();
      }
    };
    sentListeners.add(this.sentListener);
  }

  disconnectedCallback() {
    if (this.unsubscribeTicker) {
      this.unsubscribeTicker();
      this.unsubscribeTicker = undefined;
    }
    sentListeners.delete(this.sentListener);
  }

  show(data) {
    super.show(data);
    this.recompute(new Date());
  }

  fail(error) {
    super.fail(error);
    this.view = { empty: true };
  }

  @api
  refresh() {
    return this.reload(getUpdateCadence);
  }

  recompute(now) {
    this.now = now;
    const data = this.cadence;
    if (!data) {
      return;
    }
    try {
      this.view = this.buildView(data, now);
    } catch (error) {
      this.view = { empty: true };
      this.error = error;
    }
  }

  buildView(data, now) {
    const due = nextUpdateDue({
      severity: data.severity,
      cadence: (data.policy ?? []).map((row) => ({
        Severity__c: row.severity,
        Update_Minutes__c: row.updateMinutes,
        Warning_Percent__c: row.warningPercent
      })),
      lastSentAt: data.lastSentAt,
      detectedAt: data.detectedAt,
      closed: data.closed === true,
      now
    });
    if (due.state === 'none') {
      return {
        none: true,
        noneText: data.closed ? CLOSED_TEXT : NO_CADENCE_TEXT
      };
    }
    const interval = due.intervalMinutes;
    const used = Math.min(
      100,
      Math.max(
        0,
        Math.round(((interval - due.remainingMinutes) / interval) * 100)
      )
    );
    return {
      state: due.state,
      stateLabel: STATE_LABELS[due.state],
      badgeClass: `slds-badge ${STATE_THEMES[due.state]} update-state`,
      ringValue: due.state === 'overdue' ? 100 : used,
      ringVariant: RING_VARIANTS[due.state],
      detail:
        due.state === 'overdue'
          ? `${formatMinutes(due.overdueMinutes)} overdue`
          : `${formatMinutes(due.remainingMinutes)} left`,
      dueAt: due.dueAt,
      cadenceText: `Every ${formatMinutes(interval)} at severity ${data.severity}, counted from ${
        data.lastSentAt
          ? 'the last update sent'
          : 'detection (no update sent yet)'
      }.`,
      lastSentAt: data.lastSentAt,
      nextStep:
        due.state === 'ok'
          ? null
          : 'Send an update from the Communications section.'
    };
  }

  get hasClock() {
    return !!this.view.state;
  }

  get showNone() {
    return this.view.none === true;
  }

  handleRetry() {
    return this.refresh();
  }
}
