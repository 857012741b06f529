import IncidentCommunications, { audienceText } from 'c/incidentCommunications';
import getCommunications from '@salesforce/apex/IncidentResponseController.getCommunications';
import getDraft from '@salesforce/apex/IncidentResponseController.getDraft';
import previewMessage from '@salesforce/apex/IncidentResponseController.previewMessage';
import sendCommunication from '@salesforce/apex/IncidentResponseController.sendCommunication';
import { communicationSent } from 'c/nextUpdateTimer';
import { refreshApex } from '@salesforce/apex';
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

const communications = require('./data/getCommunications.json');
const empty = require('./data/getCommunicationsEmpty.json');
const drafted = require('./data/getCommunicationsDrafted.json');
const preview = require('./data/previewMessage.json');
const previewProblem = require('./data/previewMessageProblem.json');
const emailLimit = require('./data/sendCommunicationEmailLimit.json');

jest.mock(
  '@salesforce/apex/IncidentResponseController.getCommunications',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentResponseController.getDraft',
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentResponseController.previewMessage',
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentResponseController.sendCommunication',
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock('c/nextUpdateTimer', () => ({ communicationSent: jest.fn() }));

/** What preview and send carry for the Update stage as its template composed it. */
const UPDATE_FROM_TEMPLATE = {
  recordId: RECORD_ID,
  stage: 'Update',
  subject: 'Update: {!Incident.Subject}',
  body: communications.templates[1].body
};

/** Sends the composed message through its confirmation; returns the toasts raised. */
async function sendConfirmed(element) {
  const toasts = [];
  element.addEventListener('lightning__showtoast', (event) =>
    toasts.push(event.detail)
  );
  $(element, '.send-button').click();
  await flushPromises();
  $(element, '.confirm-send').click();
  await flushPromises();
  return toasts;
}

const mount = (props) =>
  mountOnIncident('c-incident-communications', IncidentCommunications, props);
const mountWith = (data, props) =>
  provide(getCommunications, data, mount(props));

describe('c-incident-communications', () => {
  afterEach(cleanUp);

  it('starts composing an update from its template once a first alert went out, and lists the history', async () => {
    const element = await mountWith(communications);

    expect(getCommunications.getLastConfig()).toEqual({ recordId: RECORD_ID });
    expect($(element, '.stage-select').value).toBe('Update');
    expect(
      $(element, '.stage-select').options.map((option) => option.value)
    ).toEqual(['First Alert', 'Update', 'Service Restored']);
    expect($(element, '.subject-input').value).toBe(
      'Update: {!Incident.Subject}'
    );
    expect($(element, '.body-input').value).toContain(
      'Workaround: {!Workaround}'
    );

    expect($(element, '.history-title').textContent).toBe('History (3)');
    const items = $$(element, '.history-item');
    expect(items.map((item) => item.dataset.id)).toEqual([
      '0bc000000000002AAA',
      '0bc000000000001AAA',
      '0bc000000000003AAA'
    ]);
    expect(items[2].querySelector('.history-draft').textContent).toBe(
      ' · Draft, not sent'
    );
    expect(items[2].querySelector('.history-counts')).toBeNull();
    expect(items[0].querySelector('.history-stage').textContent).toBe('Update');
    expect(items[0].querySelector('.history-subject').textContent).toBe(
      'Update: Inverters offline'
    );
    expect(items[0].querySelector('.history-sent-at').value).toBe(
      '2026-01-05T09:10:00.000Z'
    );
    expect(items[0].querySelector('.history-by').textContent).toBe(
      ' by Ken Incident-Owner'
    );
    expect(items[0].querySelector('.history-counts').textContent).toBe(
      ' · 9 emails, 3 case comments'
    );
    expect(items[1].querySelector('.history-counts').textContent).toBe(
      ' · 1 email, 1 case comment'
    );
    expect(items[0].querySelector('.history-state').textContent).toBe('');
    expect(items[1].querySelector('.history-state').textContent).toBe(
      ' · Partially sent: some recipients could not be reached'
    );
  });

  it('starts with the first alert while nothing was sent, and picking a template fills the text', async () => {
    const element = await mountWith(empty);

    expect($(element, '.stage-select').value).toBe('First Alert');
    expect($(element, '.no-history').textContent).toContain(
      'No communication has been sent'
    );
    changeValue($(element, '.stage-select'), 'Update');
    await flushPromises();
    expect($(element, '.subject-input').value).toBe(
      'Update: {!Incident.Subject}'
    );
    expect($(element, '.body-input').value).toBe('Still working on it.');
  });

  it("starts from the response plan's draft first alert, says so, and sends the draft's text", async () => {
    const DRAFT = {
      id: '0bc000000000003AAA',
      stage: 'First Alert',
      subject: 'We are investigating: Inverters offline',
      body: 'We are aware of an issue affecting [products being confirmed].'
    };
    getDraft.mockResolvedValue(DRAFT);
    previewMessage.mockResolvedValue(preview);
    sendCommunication.mockResolvedValue({
      id: DRAFT.id,
      sentAt: '2026-01-05T09:30:00.000Z'
    });
    const element = await mountWith(drafted);
    await flushPromises();

    expect(getDraft).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      stage: 'First Alert'
    });
    expect($(element, '.stage-select').value).toBe('First Alert');
    expect($(element, '.subject-input').value).toBe(DRAFT.subject);
    expect($(element, '.body-input').value).toBe(DRAFT.body);
    expect($(element, '.draft-note').textContent.trim()).toBe(
      'The response plan drafted this first alert: review it and send it, and the draft is marked sent.'
    );

    await sendConfirmed(element);
    expect(sendCommunication).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      stage: 'First Alert',
      subject: DRAFT.subject,
      body: DRAFT.body
    });
    expect($(element, '.draft-note')).toBeNull();
  });

  it('keeps the template when the draft cannot be read, and never lets a late draft overwrite an edit', async () => {
    getDraft.mockRejectedValue(new Error('no access'));
    const unreadable = await mountWith(drafted);
    await flushPromises();
    expect($(unreadable, '.subject-input').value).toBe(
      'We are investigating: {!Incident.Subject}'
    );
    expect($(unreadable, '.draft-note')).toBeNull();
    cleanUp();

    let answer;
    getDraft.mockReturnValue(
      new Promise((resolve) => {
        answer = resolve;
      })
    );
    const element = await mountWith(drafted);
    changeValue($(element, '.body-input'), 'My own words.');
    answer({ id: 'x', stage: 'First Alert', subject: 'Late', body: 'Late' });
    await flushPromises();
    expect($(element, '.body-input').value).toBe('My own words.');
    expect($(element, '.draft-note')).toBeNull();
  });

  it('previews the merged text with its placeholders and the deduplicated audience', async () => {
    previewMessage.mockResolvedValue(preview);
    const element = await mountWith(communications);

    $(element, '.preview-button').click();
    await flushPromises();

    expect(previewMessage).toHaveBeenCalledWith(UPDATE_FROM_TEMPLATE);
    expect($(element, '.preview-subject').textContent.trim()).toBe(
      'Update: Inverters offline'
    );
    expect($(element, '.preview-body').textContent).toContain(
      '[no workaround is available yet]'
    );
    expect($(element, '.missing').textContent.trim()).toBe(
      'Not known yet, shown as a placeholder: {!Workaround}.'
    );
    expect($(element, '.audience-text').textContent).toBe(
      '12 recipients: 9 by email, 3 by case comment (15 linked cases).'
    );
    expect($(element, '.problems')).toBeNull();
  });

  it('edits the subject and body, and an edit drops the stale preview', async () => {
    previewMessage.mockResolvedValue(preview);
    const element = await mountWith(communications);
    $(element, '.preview-button').click();
    await flushPromises();

    changeValue($(element, '.subject-input'), 'Still down');
    changeValue($(element, '.body-input'), 'Hang on, {!Incident.Subject}.');
    await flushPromises();
    expect($(element, '.preview')).toBeNull();

    $(element, '.preview-button').click();
    await flushPromises();
    expect(previewMessage).toHaveBeenLastCalledWith({
      recordId: RECORD_ID,
      stage: 'Update',
      subject: 'Still down',
      body: 'Hang on, {!Incident.Subject}.'
    });
  });

  it('sends only after confirming, then tells the timer, refreshes the history and toasts', async () => {
    previewMessage.mockResolvedValue(preview);
    sendCommunication.mockResolvedValue({
      id: '0bc000000000003AAA',
      sentAt: '2026-01-05T09:30:00.000Z'
    });
    const element = await mountWith(communications);
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) =>
      toasts.push(event.detail)
    );

    $(element, '.send-button').click();
    await flushPromises();
    expect(sendCommunication).not.toHaveBeenCalled();
    const confirm = $(element, '.confirm');
    expect(confirm.getAttribute('role')).toBe('alertdialog');
    expect($(element, '.confirm-text').textContent).toBe(
      'Send "Update: Inverters offline" to 12 recipients: 9 by email, 3 by case comment (15 linked cases).'
    );

    $(element, '.confirm-send').click();
    await flushPromises();

    expect(sendCommunication).toHaveBeenCalledWith(UPDATE_FROM_TEMPLATE);
    expect(communicationSent).toHaveBeenCalledWith(
      RECORD_ID,
      '2026-01-05T09:30:00.000Z'
    );
    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(toasts).toEqual([
      expect.objectContaining({
        title: 'Communication sent',
        variant: 'success'
      })
    ]);
    expect($(element, '.confirm')).toBeNull();
  });

  it('says a large send goes on in the background, and shows a send still going out in the history', async () => {
    previewMessage.mockResolvedValue(preview);
    sendCommunication.mockResolvedValue({
      id: '0bc000000000004AAA',
      sentAt: '2026-01-05T09:30:00.000Z',
      emailCount: 700,
      commentCount: 300,
      failures: [],
      pending: 11000
    });
    const going = {
      ...communications,
      history: [
        {
          ...communications.history[0],
          id: '0bc000000000004AAA',
          status: 'Sending',
          emailCount: 700,
          commentCount: 300
        },
        ...communications.history
      ]
    };
    const element = await mountWith(going);
    const toasts = await sendConfirmed(element);

    expect(toasts).toEqual([
      expect.objectContaining({
        title: 'Communication going out',
        variant: 'info',
        message: expect.stringContaining(
          '11000 recipients are still to be messaged in the background'
        )
      })
    ]);
    const [first] = $$(element, '.history-item');
    expect(first.querySelector('.history-counts').textContent).toBe(
      ' · 700 emails, 300 case comments'
    );
    expect(first.querySelector('.history-state').textContent).toBe(
      ' · Sending: still going out (a large send continues in the background)'
    );
  });

  it('reports recipients the org refused as a warning, the send itself done', async () => {
    previewMessage.mockResolvedValue(preview);
    sendCommunication.mockResolvedValue({
      id: '0bc000000000003AAA',
      sentAt: '2026-01-05T09:30:00.000Z',
      emailCount: 8,
      commentCount: 3,
      failures: ['Case 500000000000009AAA: invalid email address']
    });
    const element = await mountWith(communications);
    const toasts = await sendConfirmed(element);

    expect(toasts).toEqual([
      {
        title: 'Communication sent, but 1 recipient was not reached',
        message: 'Case 500000000000009AAA: invalid email address',
        variant: 'warning',
        mode: 'sticky'
      }
    ]);
    expect(communicationSent).toHaveBeenCalledTimes(1);
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('moves the focus into the confirmation, and back to Send when it is cancelled', async () => {
    previewMessage.mockResolvedValue(preview);
    const element = await mountWith(communications);
    const sendButton = $(element, '.send-button');
    sendButton.focus = jest.fn();
    sendButton.click();
    await flushPromises();
    const confirmButton = $(element, '.confirm-send');
    expect(confirmButton).not.toBeNull();
    // The lightning-button stub has no focus(): watch the one the component calls.
    confirmButton.focus = jest.fn();
    $(element, '.send-button').click();
    await flushPromises();
    expect(confirmButton.focus).toHaveBeenCalled();

    $(element, '.cancel-send').click();
    await flushPromises();
    expect(sendButton.focus).toHaveBeenCalled();
  });

  it('cancelling the confirmation sends nothing', async () => {
    previewMessage.mockResolvedValue(preview);
    const element = await mountWith(communications);
    $(element, '.send-button').click();
    await flushPromises();
    $(element, '.cancel-send').click();
    await flushPromises();

    expect($(element, '.confirm')).toBeNull();
    expect(sendCommunication).not.toHaveBeenCalled();
  });

  it('shows the daily email limit refusal clearly and sends nothing more', async () => {
    previewMessage.mockResolvedValue(preview);
    sendCommunication.mockRejectedValue(emailLimit);
    const element = await mountWith(communications);
    $(element, '.send-button').click();
    await flushPromises();
    $(element, '.confirm-send').click();
    await flushPromises();

    const panel = $(element, '.action-error');
    expect(panel.friendlyMessage).toBe('The communication was not sent.');
    expect(panel.errors).toEqual(emailLimit);
    expect(communicationSent).not.toHaveBeenCalled();
    expect(refreshApex).not.toHaveBeenCalled();
  });

  it('will not send a message whose merge fields are unknown', async () => {
    previewMessage.mockResolvedValue(previewProblem);
    const element = await mountWith(communications);
    $(element, '.send-button').click();
    await flushPromises();

    expect($(element, '.problems').textContent).toContain('{!Customer.Name}');
    expect($(element, '.confirm')).toBeNull();
  });

  it('shows the history only to users who may not send', async () => {
    const element = await mountWith({ ...communications, canSend: false });

    expect($(element, '.compose')).toBeNull();
    expect($(element, '.read-only').textContent).toContain('not send');
    expect($$(element, '.history-item')).toHaveLength(3);
  });

  it('shows the load error with Try again', async () => {
    const element = mount();
    getCommunications.error({ message: 'No access to BroadcastCommunication' });
    await flushPromises();

    const panel = statusPart(element.shadowRoot, 'c-error-panel');
    expect(panel.friendlyMessage).toBe(
      'The customer communications could not be loaded.'
    );
    expect(panel.retryable).toBe(true);
  });

  it('words an empty audience', () => {
    expect(
      audienceText({ contacts: 0, byEmail: 0, byComment: 0, cases: 0 })
    ).toBe('nobody (no case is linked to this incident).');
    expect(
      audienceText({ contacts: 1, byEmail: 1, byComment: 0, cases: 1 })
    ).toBe('1 recipient: 1 by email, 0 by case comment (1 linked case).');
  });

  describe('accessibility', () => {
    it('is accessible composing, with history', async () => {
      const element = await mountWith(communications);
      expect($(element, '.body-input').label).toBe('Message');
      await expect(element).toBeAccessible();
    });

    it('is accessible with a preview and the confirmation', async () => {
      previewMessage.mockResolvedValue(preview);
      const element = await mountWith(communications);
      $(element, '.send-button').click();
      await flushPromises();
      expect($(element, '.preview').getAttribute('aria-label')).toBe(
        'Preview of the merged message'
      );
      await expect(element).toBeAccessible();
    });

    it('is accessible with nothing sent, and with a send error', async () => {
      previewMessage.mockResolvedValue(preview);
      sendCommunication.mockRejectedValue(emailLimit);
      const element = await mountWith(empty);
      await expect(element).toBeAccessible();
      $(element, '.send-button').click();
      await flushPromises();
      $(element, '.confirm-send').click();
      await flushPromises();
      await expect(element).toBeAccessible();
    });
  });
});
