import { createElement } from '@lwc/engine-dom';
import IncidentConsole from 'c/incidentConsole';
import getConsole from '@salesforce/apex/IncidentConsoleController.getConsole';
import getRoster from '@salesforce/apex/IncidentConsoleController.getRoster';
import getLinkedCases from '@salesforce/apex/IncidentConsoleController.getLinkedCases';
import { refreshApex } from '@salesforce/apex';

const consoleData = require('./data/getConsole.json');
const roster = require('../../incidentRoster/__tests__/data/getRoster.json');
const casesPage = require('../../incidentCases/__tests__/data/getLinkedCasesPage1.json');

jest.mock(
  '@salesforce/apex/IncidentConsoleController.getConsole',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentConsoleController.getRoster',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentConsoleController.getLinkedCases',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock(
  '@salesforce/apex',
  () => ({ refreshApex: jest.fn(() => Promise.resolve()) }),
  { virtual: true }
);

const RECORD_ID = consoleData.recordId;

function mount() {
  const element = createElement('c-incident-console', { is: IncidentConsole });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

describe('c-incident-console', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2025-03-04T16:20:00.000Z'));
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  it('loads the console for its record and shows a spinner meanwhile', async () => {
    const element = mount();
    await Promise.resolve();

    expect(getConsole.getLastConfig()).toEqual({ recordId: RECORD_ID });
    expect($(element, 'lightning-spinner').alternativeText).toBe(
      'Loading the incident console'
    );
    expect($(element, 'c-severity-matrix')).toBeNull();
  });

  it('composes the matrix, SLA timers, roster and cases from the console data', async () => {
    const element = mount();
    getConsole.emit(consoleData);
    await Promise.resolve();

    expect($(element, 'lightning-card').title).toBe(
      'Incident console: Regional power outage in Fremont'
    );
    expect($(element, '.console-summary').textContent).toBe(
      'Severity 2 · Priority High · Status In Progress'
    );

    const matrix = $(element, 'c-severity-matrix');
    expect(matrix.recordId).toBe(RECORD_ID);
    expect(matrix.urgency).toBe('High');
    expect(matrix.impact).toBe('Medium');
    expect(matrix.canEdit).toBe(true);
    expect(matrix.rules).toEqual(consoleData.rules);

    expect($(element, 'c-sla-timer').consoleData).toEqual(consoleData);
    expect($(element, 'c-incident-roster').recordId).toBe(RECORD_ID);
    expect($(element, 'c-incident-cases').recordId).toBe(RECORD_ID);

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

  it('reloads the console after the matrix saved urgency and impact', async () => {
    const element = mount();
    getConsole.emit(consoleData);
    await Promise.resolve();

    $(element, 'c-severity-matrix').dispatchEvent(
      new CustomEvent('assessmentsaved', {
        detail: { urgency: 'High', impact: 'High', severity: 1 }
      })
    );

    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(refreshApex.mock.calls[0][0].data).toEqual(consoleData);
  });

  it('shows the error panel when the console cannot be loaded', async () => {
    const element = mount();
    getConsole.error({
      message:
        'You do not have access to the Apex class named IncidentConsoleController.'
    });
    await Promise.resolve();

    const panel = $(element, 'c-error-panel');
    expect(panel.friendlyMessage).toBe(
      'The incident console could not be loaded.'
    );
    expect(panel.errors.body.message).toContain('IncidentConsoleController');
    expect($(element, 'lightning-spinner')).toBeNull();
    expect($(element, 'c-severity-matrix')).toBeNull();
  });

  describe('accessibility', () => {
    // sa11y refuses to run while timers are fake (axe needs real ones): the console is
    // rendered at the fixed fake time, then real timers are restored for the check.
    async function expectAccessible(element) {
      jest.useRealTimers();
      await expect(element).toBeAccessible();
    }

    async function mountLoaded() {
      const element = mount();
      getConsole.emit(consoleData);
      await Promise.resolve();
      getRoster.emit(roster);
      getLinkedCases.emit(casesPage);
      await Promise.resolve();
      return element;
    }

    const matrixOf = (element) => $(element, 'c-severity-matrix').shadowRoot;

    it('is accessible while loading', async () => {
      const element = mount();
      await Promise.resolve();

      expect($(element, 'lightning-spinner')).not.toBeNull();
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
        $(element, 'c-incident-cases').shadowRoot.querySelectorAll('.case-row')
      ).toHaveLength(25);
      await expectAccessible(element);
    });

    it('is accessible with the error panel', async () => {
      const element = mount();
      getConsole.error({ message: 'No access' });
      await Promise.resolve();

      expect($(element, 'c-error-panel')).not.toBeNull();
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
