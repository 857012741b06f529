import { LightningElement, api } from 'lwc';
import { slaState, slaTargets } from 'c/incidentRules';
import { toSlaPolicy } from 'c/consoleData';
import { subscribe } from 'c/slaTicker';

const STATE_LABELS = {
  'on-track': 'On track',
  warning: 'Warning',
  breached: 'Breached',
  met: 'Met',
  missed: 'Missed'
};

const STATE_THEMES = {
  'on-track': 'slds-theme_success',
  warning: 'slds-theme_warning',
  breached: 'slds-theme_error',
  met: 'slds-theme_success',
  missed: 'slds-theme_error'
};

/** The progress ring's colour for each state (lightning-progress-ring variants). */
const RING_VARIANTS = {
  'on-track': 'base',
  warning: 'warning',
  breached: 'expired',
  met: 'base-autocomplete',
  missed: 'expired'
};

/**
 * What happens next, around the due time (shown between the two parts). Service level
 * managers watch SLA compliance for the affected customers, so a clock at risk goes to them.
 */
const NEXT_STEPS = {
  'on-track': {
    before: 'Breaches at ',
    after: '. If it will be missed, escalate to the service level manager.'
  },
  warning: {
    before: 'Breaches at ',
    after: ': escalate to the service level manager now if it will be missed.'
  },
  breached: {
    before: 'Breached at ',
    after: ': escalate to the service level manager.'
  }
};

export const PAUSED_TEXT = 'Outside business hours — clock paused';
export const NO_SLA_TEXT = 'No incident SLA (standard case process)';
export const CALENDAR_ERROR_TEXT =
  "The SLA clock cannot be shown: the business hours calendar could not be read, so open and closed hours are unknown. The targets below are the incident's own; ask an admin to check access to business hours and holidays.";

/**
 * Formats business minutes as "45 min", "2 h" or "3 h 05 min".
 * @param {number} minutes
 */
export function formatBusinessMinutes(minutes) {
  const whole = Math.max(0, Math.round(minutes));
  if (whole < 60) {
    return `${whole} min`;
  }
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0
    ? `${hours} h`
    : `${hours} h ${String(rest).padStart(2, '0')} min`;
}

function detailText(state, result) {
  switch (state) {
    case 'on-track':
    case 'warning':
      return `${formatBusinessMinutes(result.remainingMinutes)} left`;
    case 'breached':
      return `${formatBusinessMinutes(result.overdueMinutes)} overdue`;
    case 'missed':
      return `Completed ${formatBusinessMinutes(result.overdueMinutes)} after the target`;
    default:
      return `Completed ${formatBusinessMinutes(result.remainingMinutes)} before the target`;
  }
}

/**
 * The times shown under a clock, all in one format: its target and, once completed, when.
 * Each key is also the class tests and styles find the time by.
 */
function clockTimes(clock, completed) {
  const times = [{ key: 'due', label: 'Target: ', value: clock.due }];
  if (completed) {
    times.push({
      key: 'completed-at',
      label: ' · Completed: ',
      value: clock.completedAt
    });
  }
  return times.map((time) => ({ ...time, labelKey: `${time.key}-label` }));
}

/**
 * Response and resolution clocks of one incident, counting down in business time.
 *
 * Due times come from the record (the Apex trigger computes them); when a record has none
 * yet they are derived from the SLA policy with the same rules module. All timers on the
 * page share one ticker (c/slaTicker).
 */
export default class SlaTimer extends LightningElement {
  /**
   * IncidentConsoleController.getConsole data: severity, detectedAt, responseDue,
   * resolutionDue, respondedAt, resolvedAt, policy, calendar, calendarError.
   */
  @api
  get consoleData() {
    return this.consoleDataValue;
  }
  set consoleData(value) {
    this.consoleDataValue = value;
    this.refresh(this.now);
  }

  consoleDataValue;
  now = new Date();
  /**
   * What the template shows, computed once per data change and per tick: the getters below
   * only read it, so a render does not redo the business-time arithmetic for each of them.
   */
  view = { empty: true };
  unsubscribeTicker;

  connectedCallback() {
    this.refresh(new Date());
    this.unsubscribeTicker = subscribe((now) => this.refresh(now));
  }

  disconnectedCallback() {
    if (this.unsubscribeTicker) {
      this.unsubscribeTicker();
      this.unsubscribeTicker = undefined;
    }
  }

  refresh(now) {
    this.now = now;
    const data = this.consoleDataValue;
    if (!data) {
      this.view = { empty: true };
      return;
    }
    try {
      this.view = this.buildView(data);
    } catch (error) {
      this.view = { error };
    }
  }

  buildView(data) {
    const targets =
      data.severity && data.detectedAt
        ? slaTargets(
            toSlaPolicy(data.policy),
            data.severity,
            data.detectedAt,
            data.calendar
          )
        : null;
    if (!data.severity || (data.detectedAt && !targets)) {
      return { noSla: true };
    }
    if (!data.detectedAt) {
      return { notStarted: true };
    }
    if (data.calendarError) {
      // Without the calendar a clock would count closed hours as open: show no clock rather
      // than a wrong one, only the due times the record was saved with.
      return {
        calendarError: data.calendarError,
        dueTimes: [
          {
            key: 'response',
            label: 'Response target',
            value: data.responseDue
          },
          {
            key: 'resolution',
            label: 'Resolution target',
            value: data.resolutionDue
          }
        ].filter((time) => !!time.value)
      };
    }
    const clocks = [
      {
        key: 'response',
        label: 'Response',
        due: data.responseDue ?? targets.responseDue.toISOString(),
        completedAt: data.respondedAt ?? null
      },
      {
        key: 'resolution',
        label: 'Resolution',
        due: data.resolutionDue ?? targets.resolutionDue.toISOString(),
        completedAt: data.resolvedAt ?? null
      }
    ].map((clock) => this.clockView(clock, data, targets.warningPercent));
    return { clocks };
  }

  clockView(clock, data, warningPercent) {
    const result = slaState(
      {
        start: data.detectedAt,
        due: clock.due,
        completedAt: clock.completedAt,
        warningPercent,
        calendar: data.calendar
      },
      this.now
    );
    const completed = result.state === 'met' || result.state === 'missed';
    const elapsedPercent = Math.min(
      100,
      Math.max(0, Math.round(result.elapsedPercent))
    );
    return {
      ...clock,
      state: result.state,
      stateLabel: STATE_LABELS[result.state],
      badgeClass: `slds-badge ${STATE_THEMES[result.state]} sla-state`,
      detail: detailText(result.state, result),
      completed,
      times: clockTimes(clock, completed),
      paused: !completed && !result.running,
      elapsedPercent,
      // A completed clock's ring is full: the time question is closed, met or missed.
      ringValue: completed ? 100 : elapsedPercent,
      ringVariant: RING_VARIANTS[result.state],
      progressText: completed ? null : `${elapsedPercent}% of the time used`,
      nextStep: NEXT_STEPS[result.state] ?? null
    };
  }

  get clocks() {
    return this.view.clocks;
  }

  get hasClocks() {
    return Array.isArray(this.view.clocks);
  }

  get showNoSla() {
    return this.view.noSla === true;
  }

  get showNotStarted() {
    return this.view.notStarted === true;
  }

  get error() {
    return this.view.error;
  }

  /** getConsole's calendarError: why the calendar the clocks run on could not be read. */
  get calendarError() {
    return this.view.calendarError;
  }

  get calendarErrorText() {
    return CALENDAR_ERROR_TEXT;
  }

  get dueTimes() {
    return this.view.dueTimes;
  }

  get pausedText() {
    return PAUSED_TEXT;
  }

  get noSlaText() {
    return NO_SLA_TEXT;
  }
}
