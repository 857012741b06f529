import { LightningElement, api, wire } from 'lwc';
import getConsole from '@salesforce/apex/IncidentConsoleController.getConsole';
import { reloadApex } from 'c/ldsUtils';

/** Severity badge themes: the badge text always says the severity, colour only adds to it. */
const SEVERITY_THEMES = {
  1: 'slds-theme_error',
  2: 'slds-theme_warning'
};

/** Record page region widths (flexipageRegionWidth) in which the sections stack. */
const NARROW_REGIONS = new Set(['SMALL', 'MEDIUM']);

const FULL_WIDTH = 'slds-col slds-size_1-of-1 slds-var-m-bottom_x-small';
const HALF_WIDTH = 'slds-col slds-size_1-of-2 slds-var-m-bottom_x-small';
/** Outside a record page the region is unknown: fall back to the screen's breakpoint. */
const SCREEN_WIDTH =
  'slds-col slds-size_1-of-1 slds-large-size_1-of-2 slds-var-m-bottom_x-small';

/**
 * The incident console on Incident, Problem and Change Request record pages: a header with the
 * record's severity, priority and status, then one card per concern: severity matrix, SLA
 * timers, who to contact and linked cases.
 *
 * Each section loads and fails on its own: the roster and the cases fetch their data in
 * parallel with the console data (they do not wait for it), and each shows its own error with
 * its own retry, so a roster the user may not read never hides the matrix.
 */
export default class IncidentConsole extends LightningElement {
  @api recordId;
  /** Set by record pages: Incident, Problem or ChangeRequest. */
  @api objectApiName;
  /** Set by record pages: SMALL, MEDIUM or LARGE, the width of the region the console is in. */
  @api flexipageRegionWidth;

  consoleData;
  error;
  /** True while a retry or a reload after an error runs (the wire is not loading then). */
  reloading = false;
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
    return this.reloading || (!this.consoleData && !this.error);
  }

  get showStatus() {
    return this.isLoading || !!this.error;
  }

  get hasData() {
    return !this.isLoading && !!this.consoleData;
  }

  get title() {
    return this.consoleData?.subject
      ? `Incident console: ${this.consoleData.subject}`
      : 'Incident console';
  }

  /** Change requests have no urgency, so no matrix; problems have no SLA clock. */
  get showMatrix() {
    return this.hasData && this.consoleData.objectApiName !== 'ChangeRequest';
  }

  get showTimers() {
    return this.hasData && this.consoleData.objectApiName === 'Incident';
  }

  get summaryBadges() {
    const data = this.consoleData;
    const severityTheme = SEVERITY_THEMES[data.severity];
    return [
      {
        key: 'severity',
        label: data.severity ? `Severity ${data.severity}` : 'Severity not set',
        className: severityTheme ? `slds-badge ${severityTheme}` : 'slds-badge'
      },
      data.priority && {
        key: 'priority',
        label: `Priority ${data.priority}`,
        className: 'slds-badge slds-badge_lightest'
      },
      data.status && {
        key: 'status',
        label: `Status ${data.status}`,
        className: 'slds-badge slds-badge_lightest'
      }
    ].filter((badge) => !!badge);
  }

  /** 'stacked', 'columns' or 'screen' (region unknown: the screen's breakpoint decides). */
  get layout() {
    if (NARROW_REGIONS.has(this.flexipageRegionWidth)) {
      return 'stacked';
    }
    return this.flexipageRegionWidth === 'LARGE' ? 'columns' : 'screen';
  }

  get isNarrow() {
    return this.layout === 'stacked';
  }

  /**
   * Gutters only between columns: their negative margins would push a stacked column past the
   * edge of a narrow region.
   */
  get sectionsClass() {
    return this.isNarrow
      ? 'slds-grid slds-wrap console-sections'
      : 'slds-grid slds-wrap slds-gutters_x-small console-sections';
  }

  get columnClass() {
    switch (this.layout) {
      case 'stacked':
        return FULL_WIDTH;
      case 'columns':
        return HALF_WIDTH;
      default:
        return SCREEN_WIDTH;
    }
  }

  /** Beside the matrix when there is one; alone it takes the whole row. */
  get sideColumnClass() {
    return this.showMatrix ? this.columnClass : FULL_WIDTH;
  }

  /** Urgency and impact changed: the trigger recomputed severity and SLA, so reload. */
  handleAssessmentSaved() {
    return this.reload();
  }

  handleRetry() {
    return this.reload();
  }

  /** The header's refresh reloads every section: this one and the roster and cases. */
  handleRefresh() {
    const sections = [
      ...this.template.querySelectorAll(
        [
          'c-incident-roster',
          'c-incident-cases',
          'c-next-update-timer',
          'c-incident-communications',
          'c-incident-response',
          'c-incident-outreach',
          'c-incident-timeline'
        ].join(', ')
      )
    ];
    return Promise.all([
      this.reload(),
      ...sections.map((section) => section.refresh())
    ]);
  }

  async reload() {
    const showsError = !!this.error;
    // Only an error is replaced by a spinner: fresh data replaces shown data in place, so the
    // matrix (and the keyboard focus in it) stays while the console reloads after a save.
    this.reloading = showsError;
    try {
      const data = await reloadApex(this.wiredConsoleResult, getConsole, {
        recordId: this.recordId
      });
      if (data) {
        this.consoleData = data;
        this.error = undefined;
      }
    } catch (error) {
      this.consoleData = undefined;
      this.error = error;
    } finally {
      this.reloading = false;
    }
  }
}
