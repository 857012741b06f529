import IncidentResponse from 'c/incidentResponse';
import getResponseActions from '@salesforce/apex/IncidentResponseController.getResponseActions';
import { refreshApex } from '@salesforce/apex';
import {
  $,
  $$,
  RECORD_ID,
  cleanUp,
  flushPromises,
  mountOnIncident,
  provide,
  statusPart
} from 'test-utils';

const actions = require('./data/getResponseActions.json');
const empty = require('./data/getResponseActionsEmpty.json');

jest.mock(
  '@salesforce/apex/IncidentResponseController.getResponseActions',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);

const mount = (props) =>
  mountOnIncident('c-incident-response', IncidentResponse, props);
const mountWith = (data, props) =>
  provide(getResponseActions, data, mount(props));

describe('c-incident-response', () => {
  afterEach(cleanUp);

  it('asks for the incident steps and shows a spinner meanwhile', async () => {
    const element = mount();
    await flushPromises();

    expect(getResponseActions.getLastConfig()).toEqual({ recordId: RECORD_ID });
    expect(
      statusPart(element.shadowRoot, 'lightning-spinner').alternativeText
    ).toBe('Loading the response steps');
  });

  it('lists every step with its status in words, trigger and time, and counts them', async () => {
    const element = await mountWith(actions);

    expect($(element, 'lightning-card').title).toBe('Response steps (3)');
    const count = (key) =>
      $(element, `[data-count="${key}"] .count-value`).textContent.trim();
    expect(count('Done')).toBe('1');
    expect(count('Pending')).toBe('1');
    expect(count('Failed')).toBe('1');

    const steps = $$(element, '.response-step');
    expect(steps.map((step) => step.dataset.status)).toEqual([
      'Failed',
      'Pending',
      'Done'
    ]);
    const [failed, pending, done] = steps;
    expect(failed.querySelector('.step-label').textContent).toBe(
      'Draft the first customer alert'
    );
    expect(failed.querySelector('.step-status').textContent).toBe('Failed');
    expect(failed.querySelector('.step-status').className).toContain(
      'slds-theme_error'
    );
    expect(failed.querySelector('.step-error').textContent.trim()).toBe(
      'The First Alert template is missing.'
    );
    expect(failed.querySelector('.step-trigger').textContent).toBe(
      'Trigger: Severity Raised'
    );
    expect(failed.querySelector('.step-time').value).toBe(
      '2026-01-05T09:02:05.000Z'
    );
    // A pending step shows since when it waits, not a completion time it does not have.
    expect(pending.textContent).toContain('Due since:');
    expect(pending.querySelector('.step-time').value).toBe(
      '2026-01-05T09:02:00.000Z'
    );
    expect(pending.querySelector('.step-error')).toBeNull();
    expect(done.textContent).toContain('Done:');
    expect(done.querySelector('.step-time').value).toBe(
      '2026-01-05T09:02:03.000Z'
    );
  });

  it('says when no step has run yet', async () => {
    const element = await mountWith(empty);

    expect($(element, 'lightning-card').title).toBe('Response steps (0)');
    expect($(element, '.no-steps').textContent).toContain(
      'No response steps have run'
    );
    expect($(element, '.response-steps')).toBeNull();
  });

  it('shows the error with Try again, which calls the controller itself', async () => {
    getResponseActions.mockResolvedValue(actions);
    const element = mount();
    getResponseActions.error({
      message: 'Insufficient access to Incident_Response_Action__c'
    });
    await flushPromises();

    const panel = statusPart(element.shadowRoot, 'c-error-panel');
    expect(panel.friendlyMessage).toBe(
      'The response steps could not be loaded.'
    );
    panel.dispatchEvent(new CustomEvent('retry'));
    await flushPromises();

    expect(getResponseActions).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect($$(element, '.response-step')).toHaveLength(3);
  });

  it('reloads when the console data is reloaded (a severity change), not on the first load', async () => {
    const element = await mountWith(actions, { consoleData: { severity: 3 } });
    expect(refreshApex).not.toHaveBeenCalled();

    element.consoleData = { severity: 1 };
    await flushPromises();

    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('renders nothing and asks nothing on a problem or change request', async () => {
    const element = mount({ objectApiName: 'Problem' });
    await flushPromises();

    expect($(element, 'lightning-card')).toBeNull();
    expect(getResponseActions.getLastConfig()).toEqual({ recordId: undefined });
  });

  describe('accessibility', () => {
    it('is accessible with steps', async () => {
      const element = await mountWith(actions);
      expect($(element, '.response-steps').getAttribute('aria-label')).toBe(
        'Response steps taken'
      );
      await expect(element).toBeAccessible();
    });

    it('is accessible without steps', async () => {
      const element = await mountWith(empty);
      await expect(element).toBeAccessible();
    });

    it('is accessible with the error panel', async () => {
      const element = mount();
      getResponseActions.error({ message: 'No access' });
      await flushPromises();
      await expect(element).toBeAccessible();
    });
  });
});
