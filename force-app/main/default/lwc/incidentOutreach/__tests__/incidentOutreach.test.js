import IncidentOutreach, { STATUS_OPTIONS } from 'c/incidentOutreach';
import getOutreach from '@salesforce/apex/IncidentResponseController.getOutreach';
import updateOutreach from '@salesforce/apex/IncidentResponseController.updateOutreach';
import {
  $,
  $$,
  RECORD_ID,
  changeValue,
  cleanUp,
  flushPromises,
  mountOnIncident,
  provide,
  statusPart
} from 'test-utils';

const outreach = require('./data/getOutreach.json');
const empty = require('./data/getOutreachEmpty.json');

jest.mock(
  '@salesforce/apex/IncidentResponseController.getOutreach',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentResponseController.updateOutreach',
  () => ({ default: jest.fn() }),
  { virtual: true }
);

const mount = (props) =>
  mountOnIncident('c-incident-outreach', IncidentOutreach, props);
const mountWith = (data, props) => provide(getOutreach, data, mount(props));
const item = (element, id) => $(element, `li[data-id="${id}"]`);

const FIRST = 'a0O000000000001AAA';
const SECOND = 'a0O000000000002AAA';

describe('c-incident-outreach', () => {
  afterEach(cleanUp);

  it('lists each key account with owner, status, due time and special requests', async () => {
    const element = await mountWith(outreach);

    expect(getOutreach.getLastConfig()).toEqual({ recordId: RECORD_ID });
    expect($(element, 'lightning-card').title).toBe('Executive outreach (2)');
    const first = item(element, FIRST);
    expect(first.querySelector('.account-name').textContent).toBe(
      'Sunrise Utilities'
    );
    expect(first.querySelector('.owner-name').textContent).toBe(
      'Owner: Mia Service-Level'
    );
    expect(first.querySelector('.due-at').value).toBe(
      '2026-01-05T09:30:00.000Z'
    );
    expect(first.querySelector('.overdue').textContent).toBe('Overdue');
    expect(first.querySelector('.requests-text').textContent).toBe(
      'None recorded'
    );
    const second = item(element, SECOND);
    expect(second.querySelector('.overdue')).toBeNull();
    expect(second.querySelector('.requests-text').textContent).toBe(
      'Wants a call from the CTO every 2 hours.'
    );
    const select = first.querySelector('lightning-combobox');
    expect(select.value).toBe('Open');
    expect(select.options).toEqual(STATUS_OPTIONS);
    expect(select.label).toBe('Status of the outreach to Sunrise Utilities');
  });

  it('saves a status chosen inline and shows what the controller stored', async () => {
    updateOutreach.mockResolvedValue({
      ...outreach.items[0],
      status: 'Contacted'
    });
    const element = await mountWith(outreach);

    const select = item(element, FIRST).querySelector('lightning-combobox');
    changeValue(select, 'Contacted');
    await flushPromises();

    expect(updateOutreach).toHaveBeenCalledWith({
      id: FIRST,
      status: 'Contacted',
      specialRequests: null
    });
    expect(item(element, FIRST).dataset.status).toBe('Contacted');
    expect($(element, '.save-error')).toBeNull();
  });

  it('records special requests, keeping the status', async () => {
    updateOutreach.mockResolvedValue({
      ...outreach.items[0],
      specialRequests: 'Daily call at 8:00'
    });
    const element = await mountWith(outreach);

    item(element, FIRST).querySelector('.edit-requests').click();
    await flushPromises();
    const input = item(element, FIRST).querySelector('lightning-textarea');
    expect(input.label).toBe('Special requests of Sunrise Utilities');
    changeValue(input, 'Daily call at 8:00');
    item(element, FIRST).querySelector('.save-requests').click();
    await flushPromises();

    expect(updateOutreach).toHaveBeenCalledWith({
      id: FIRST,
      status: 'Open',
      specialRequests: 'Daily call at 8:00'
    });
    expect(item(element, FIRST).querySelector('lightning-textarea')).toBeNull();
    expect(
      item(element, FIRST).querySelector('.requests-text').textContent
    ).toBe('Daily call at 8:00');
  });

  it('keeps the stored status and says why when a save fails', async () => {
    updateOutreach.mockRejectedValue({
      body: { message: 'You cannot edit this outreach.' }
    });
    const element = await mountWith(outreach);

    const select = item(element, FIRST).querySelector('lightning-combobox');
    select.value = 'Done';
    changeValue(select, 'Done');
    await flushPromises();

    expect($(element, '.save-error').errors).toEqual({
      body: { message: 'You cannot edit this outreach.' }
    });
    expect(select.value).toBe('Open');
    expect(item(element, FIRST).dataset.status).toBe('Open');
  });

  it('shows a read-only list to users who may not edit', async () => {
    const element = await mountWith({ ...outreach, canEdit: false });

    expect($$(element, 'lightning-combobox')).toHaveLength(0);
    expect($$(element, '.edit-requests')).toHaveLength(0);
    expect($$(element, '.outreach-item')).toHaveLength(2);
  });

  it('says when there is no outreach', async () => {
    const element = await mountWith(empty);
    expect($(element, '.no-outreach').textContent).toContain(
      'No executive outreach'
    );
  });

  it('shows the error with Try again', async () => {
    getOutreach.mockResolvedValue(outreach);
    const element = mount();
    getOutreach.error({ message: 'No access to Incident_Outreach__c' });
    await flushPromises();

    const panel = statusPart(element.shadowRoot, 'c-error-panel');
    expect(panel.friendlyMessage).toBe(
      'The executive outreach could not be loaded.'
    );
    panel.dispatchEvent(new CustomEvent('retry'));
    await flushPromises();
    expect($$(element, '.outreach-item')).toHaveLength(2);
  });

  describe('accessibility', () => {
    it('is accessible with outreach', async () => {
      const element = await mountWith(outreach);
      await expect(element).toBeAccessible();
    });

    it('is accessible while editing special requests', async () => {
      const element = await mountWith(outreach);
      item(element, SECOND).querySelector('.edit-requests').click();
      await flushPromises();
      await expect(element).toBeAccessible();
    });

    it('is accessible without outreach and with the error panel', async () => {
      const element = await mountWith(empty);
      await expect(element).toBeAccessible();
      const failing = mount();
      getOutreach.error({ message: 'No access' });
      await flushPromises();
      await expect(failing).toBeAccessible();
    });
  });
});
