import IncidentConsole from 'c/incidentConsole';
import getConsole from '@salesforce/apex/IncidentConsoleController.getConsole';
import getRoster from '@salesforce/apex/IncidentConsoleController.getRoster';
import getLinkedCases from '@salesforce/apex/IncidentConsoleController.getLinkedCases';
import { refreshApex } from '@salesforce/apex';
import {
  $,
  $$,
  RECORD_ID,
  cleanUp,
  flushPromises,
  mountOnIncident,
  rendered,
  statusPart
} from 'test-utils';

const consoleData = require('./data/getConsole.json');
const roster = require('../../incidentRoster/__tests__/data/getRoster.json');
const casesPage = require('../../incidentCases/__tests__/data/getLinkedCasesPage1.json');

jest.mock(
  '@salesforce/apex/IncidentConsoleController.getConsole',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentConsoleController.getRoster',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentConsoleController.getLinkedCases',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);

/** getConsole when the business hours could not be read (calendarError set, no calendar). */
const withoutCalendar = {
  ...consoleData,
  calendar: null,
  calendarError:
    'The business hours calendar could not be read, so the SLA timers cannot tell open from closed hours: No access to entity Holiday'
};

const mount = (props) =>
  mountOnIncident('c-incident-console', IncidentConsole, props);

describe('c-incident-console', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2025-03-04T16:20:00.000Z'));
  });

  afterEach(() => {
    cleanUp();
    jest.useRealTimers();
  });

  it('loads the console for its record and shows a spinner in its header meanwhile', async () => {
    const element = mount();
    await flushPromises();

    expect(getConsole.getLastConfig()).toEqual({ recordId: RECORD_ID });
    expect(
      statusPart($(element, '.console-header'), 'lightning-spinner')
        .alternativeText
    ).toBe('Loading the incident');
    expect($(element, 'c-severity-matrix')).toBeNull();
  });

  it('starts the roster and the cases at once, without waiting for the console data', async () => {
    const element = mount();
    await flushPromises();

    // The console data has not arrived, yet both sections already asked for theirs.
    expect(getRoster.getLastConfig()).toEqual({ recordId: RECORD_ID });
    expect(getLinkedCases.getLastConfig()).toEqual({
      recordId: RECORD_ID,
      pageSize: 25,
      pageNumber: 1,
      sortBy: null,
      sortDirection: null
    });
    getRoster.emit(roster);
    await flushPromises();
    expect(
      $(element, 'c-incident-roster').shadowRoot.querySelectorAll(
        '.roster-contact'
      )
    ).toHaveLength(4);
  });

  it('composes the matrix, SLA timers, roster and cases from the console data', async () => {
    const element = mount();
    getConsole.emit(consoleData);
    await flushPromises();

    expect($(element, 'lightning-card').title).toBe(
      'Incident console: Regional power outage in Fremont'
    );
    const badges = $$(element, '.console-summary [data-badge]').map((li) => [
      li.dataset.badge,
      li.textContent,
      li.firstChild.className
    ]);
    expect(badges).toEqual([
      ['severity', 'Severity 2', 'slds-badge slds-theme_warning'],
      ['priority', 'Priority High', 'slds-badge slds-badge_lightest'],
      ['status', 'Status In Progress', 'slds-badge slds-badge_lightest']
    ]);

    const matrix = $(element, 'c-severity-matrix');
    expect(matrix.recordId).toBe(RECORD_ID);
    expect(matrix.urgency).toBe('High');
    expect(matrix.impact).toBe('Medium');
    expect(matrix.canEdit).toBe(true);
    expect(matrix.rules).toEqual(consoleData.rules);

    expect($(element, 'c-sla-timer').consoleData).toEqual(consoleData);
    expect($(element, 'c-incident-roster').recordId).toBe(RECORD_ID);
    expect($(element, 'c-incident-cases').recordId).toBe(RECORD_ID);
    expect($(element, 'c-incident-cases').objectApiName).toBe('Incident');

    // The composed children render the real data: the current matrix cell and a running clock.
    const currentCell = matrix.shadowRoot.querySelector(
      'td[aria-current="true"]'
    );
    expect(currentCell.dataset).toMatchObject({
      urgency: 'High',
      impact: 'Medium'
    });
    const response = $(element, 'c-sla-timer').shadowRoot.querySelector(
      'li[data-clock="response"]'
    );
    expect(response.dataset.state).toBe('on-track');
    expect(response.querySelector('.clock-detail').textContent).toBe(
      '40 min left'
    );
  });

  it('shows a problem its matrix without SLA timers, and a change request neither', async () => {
    const problem = mount();
    getConsole.emit({ ...consoleData, objectApiName: 'Problem' });
    await flushPromises();
    expect($(problem, 'c-severity-matrix')).not.toBeNull();
    expect($(problem, 'c-sla-timer')).toBeNull();

    document.body.removeChild(problem);
    const change = mount({ objectApiName: 'ChangeRequest' });
    getConsole.emit({
      ...consoleData,
      objectApiName: 'ChangeRequest',
      urgency: null
    });
    await flushPromises();
    expect($(change, 'c-severity-matrix')).toBeNull();
    expect($(change, 'c-sla-timer')).toBeNull();
    // Alone, the roster's column takes the whole row.
    expect($(change, '[data-section="people"]').className).toContain(
      'slds-size_1-of-1'
    );
    expect($(change, '[data-section="people"]').className).not.toContain(
      '1-of-2'
    );
  });

  const FULL = 'slds-col slds-size_1-of-1 slds-var-m-bottom_x-small';
  const HALF = 'slds-col slds-size_1-of-2 slds-var-m-bottom_x-small';

  // The region, not the screen, decides: no screen breakpoint classes in a known region.
  it.each([
    ['SMALL', 'stacked', FULL, true],
    ['MEDIUM', 'stacked', FULL, true],
    ['LARGE', 'columns', HALF, false]
  ])(
    'lays the sections out by the region width %s (%s)',
    async (width, layout, columnClass, narrow) => {
      const element = mount({ flexipageRegionWidth: width });
      getConsole.emit(consoleData);
      await flushPromises();

      expect($(element, '.incident-console').dataset.layout).toBe(layout);
      const classes = (section) =>
        [...$(element, `[data-section="${section}"]`).classList].sort();
      expect(classes('matrix')).toEqual(columnClass.split(' ').sort());
      expect(classes('people')).toEqual(columnClass.split(' ').sort());
      expect($(element, 'c-severity-matrix').narrow).toBe(narrow);
      // Gutters' negative margins would push a stacked column past the region's edge.
      expect(
        $(element, '.console-sections').classList.contains(
          'slds-gutters_x-small'
        )
      ).toBe(!narrow);
    }
  );

  it('falls back to the screen breakpoint outside a record page region', async () => {
    const element = mount();
    getConsole.emit(consoleData);
    await flushPromises();

    expect($(element, '.incident-console').dataset.layout).toBe('screen');
    expect($(element, '[data-section="matrix"]').className).toContain(
      'slds-large-size_1-of-2'
    );
  });

  it('reloads the console after the matrix saved urgency and impact', async () => {
    const element = mount();
    getConsole.emit(consoleData);
    await flushPromises();

    $(element, 'c-severity-matrix').dispatchEvent(
      new CustomEvent('assessmentsaved', {
        detail: { urgency: 'High', impact: 'High', severity: 1 }
      })
    );

    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(refreshApex.mock.calls[0][0].data).toEqual(consoleData);
  });

  it('shows its own error when the console data fails, while the roster and cases still load', async () => {
    const element = mount();
    getConsole.error({
      message:
        'You do not have access to the Apex class named IncidentConsoleController.'
    });
    getRoster.emit(roster);
    getLinkedCases.emit(casesPage);
    await flushPromises();

    const panel = statusPart($(element, '.console-header'), 'c-error-panel');
    expect(panel.friendlyMessage).toBe(
      "The incident's severity and SLA could not be loaded. The roster and the linked cases load on their own."
    );
    expect(panel.retryable).toBe(true);
    expect(panel.errors.body.message).toContain('IncidentConsoleController');
    expect(
      statusPart($(element, '.console-header'), 'lightning-spinner')
    ).toBeNull();
    expect($(element, 'c-severity-matrix')).toBeNull();
    expect(
      $(element, 'c-incident-roster').shadowRoot.querySelectorAll(
        '.roster-contact'
      )
    ).toHaveLength(4);
    expect(
      $(element, 'c-incident-cases').shadowRoot.querySelector(
        'c-linked-cases-datatable'
      ).data
    ).toHaveLength(25);
  });

  it('tries the console data again by calling the controller itself', async () => {
    getConsole.mockResolvedValue(consoleData);
    const element = mount();
    getConsole.error({ message: 'Timed out' });
    await flushPromises();

    statusPart($(element, '.console-header'), 'c-error-panel').dispatchEvent(
      new CustomEvent('retry')
    );
    await rendered();
    expect(
      statusPart($(element, '.console-header'), 'lightning-spinner')
        .alternativeText
    ).toBe('Loading the incident');
    await flushPromises();

    expect(getConsole).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(
      statusPart($(element, '.console-header'), 'c-error-panel')
    ).toBeNull();
    expect($(element, 'c-severity-matrix').urgency).toBe('High');
  });

  it('keeps the matrix and the roster when the calendar could not be read, the timers saying why', async () => {
    const element = mount();
    getConsole.emit(withoutCalendar);
    getRoster.emit(roster);
    await flushPromises();

    expect(
      statusPart($(element, '.console-header'), 'c-error-panel')
    ).toBeNull();
    expect(
      $(element, 'c-severity-matrix').shadowRoot.querySelectorAll('td button')
    ).toHaveLength(9);
    expect(
      $(element, 'c-incident-roster').shadowRoot.querySelectorAll(
        '.roster-contact'
      )
    ).toHaveLength(4);
    const timers = $(element, 'c-sla-timer').shadowRoot;
    expect(timers.querySelectorAll('li[data-clock]')).toHaveLength(0);
    expect(
      timers.querySelector('c-error-panel.calendar-error').friendlyMessage
    ).toMatch(/^The SLA clock cannot be shown/);
  });

  it('keeps the matrix and the timers when only the roster fails', async () => {
    const element = mount();
    getConsole.emit(consoleData);
    getRoster.error({
      message: 'Insufficient access to Incident_Roster_Member__c'
    });
    await flushPromises();

    expect($(element, 'c-severity-matrix')).not.toBeNull();
    expect($(element, 'c-sla-timer')).not.toBeNull();
    expect(
      statusPart($(element, '.console-header'), 'c-error-panel')
    ).toBeNull();
    expect(
      statusPart($(element, 'c-incident-roster').shadowRoot, 'c-error-panel')
        .friendlyMessage
    ).toBe('The roster could not be loaded.');
  });

  it('refreshes every section from the header', async () => {
    const element = mount();
    getConsole.emit(consoleData);
    getRoster.emit(roster);
    getLinkedCases.emit(casesPage);
    await flushPromises();

    $(element, 'lightning-button-icon.refresh-console').click();
    await flushPromises();

    const refreshed = refreshApex.mock.calls.map(([wired]) => wired.data);
    expect(refreshed).toHaveLength(3);
    expect(refreshed).toEqual(
      expect.arrayContaining([consoleData, roster, casesPage])
    );
  });

  describe('accessibility', () => {
    // axe walks the whole console, four components deep: on a shared machine one run can take
    // several seconds, and a run cut off by the default 5 s blocks every later one.
    jest.setTimeout(30000);

    // sa11y refuses to run while timers are fake (axe needs real ones): the console is
    // rendered at the fixed fake time, then real timers are restored for the check.
    async function expectAccessible(element) {
      jest.useRealTimers();
      await expect(element).toBeAccessible();
    }

    async function mountLoaded() {
      const element = mount();
      getConsole.emit(consoleData);
      await flushPromises();
      getRoster.emit(roster);
      getLinkedCases.emit(casesPage);
      await flushPromises();
      return element;
    }

    const matrixOf = (element) => $(element, 'c-severity-matrix').shadowRoot;

    it('is accessible while loading', async () => {
      const element = mount();
      await flushPromises();

      expect(
        statusPart($(element, '.console-header'), 'lightning-spinner')
      ).not.toBeNull();
      await expectAccessible(element);
    });

    it('is accessible stacked in a small region', async () => {
      const element = mount({ flexipageRegionWidth: 'SMALL' });
      getConsole.emit(consoleData);
      await flushPromises();
      getRoster.emit(roster);
      getLinkedCases.emit(casesPage);
      await flushPromises();

      expect($(element, '.incident-console').dataset.layout).toBe('stacked');
      await expectAccessible(element);
    });

    it('is accessible with the SLA clock unavailable for want of a calendar', async () => {
      const element = mount();
      getConsole.emit(withoutCalendar);
      await flushPromises();
      getRoster.emit(roster);
      getLinkedCases.emit(casesPage);
      await flushPromises();

      expect(
        $(element, 'c-sla-timer').shadowRoot.querySelector('.calendar-error')
      ).not.toBeNull();
      await expectAccessible(element);
    });

    it('is accessible with the roster failed beside a working matrix', async () => {
      const element = mount();
      getConsole.emit(consoleData);
      getRoster.error({ message: 'No access' });
      getLinkedCases.emit(casesPage);
      await flushPromises();

      expect(
        statusPart($(element, 'c-incident-roster').shadowRoot, 'c-error-panel')
      ).not.toBeNull();
      await expectAccessible(element);
    });

    it('is accessible loaded, the matrix, timers, roster and cases included', async () => {
      const element = await mountLoaded();

      expect(matrixOf(element).querySelectorAll('td button')).toHaveLength(9);
      expect(
        $(element, 'c-sla-timer').shadowRoot.querySelectorAll('li[data-clock]')
      ).toHaveLength(2);
      expect(
        $(element, 'c-incident-roster').shadowRoot.querySelector(
          '.roster-contact'
        )
      ).not.toBeNull();
      expect(
        $(element, 'c-incident-cases').shadowRoot.querySelector(
          'c-linked-cases-datatable'
        ).data
      ).toHaveLength(25);
      await expectAccessible(element);
    });

    it('is accessible with the error panel', async () => {
      const element = mount();
      getConsole.error({ message: 'No access' });
      await flushPromises();

      expect(
        statusPart($(element, '.console-header'), 'c-error-panel')
      ).not.toBeNull();
      await expectAccessible(element);
    });

    it('fails the check on a defect deep inside a child component', async () => {
      const element = await mountLoaded();

      // A nameless cell action two shadow roots down must still fail the console's check.
      matrixOf(element)
        .querySelectorAll(
          'td[data-urgency="Low"][data-impact="Low"] button span'
        )
        .forEach((span) => span.setAttribute('aria-hidden', 'true'));

      jest.useRealTimers();
      await expect(expect(element).toBeAccessible()).rejects.toThrow(
        /\[button-name\]/
      );
    });
  });
});
