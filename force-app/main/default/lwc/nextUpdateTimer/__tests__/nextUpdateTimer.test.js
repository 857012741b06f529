import NextUpdateTimer, {
  CLOSED_TEXT,
  NO_CADENCE_TEXT,
  communicationSent,
  formatMinutes
} from 'c/nextUpdateTimer';
import getUpdateCadence from '@salesforce/apex/IncidentResponseController.getUpdateCadence';
import { listenerCount } from 'c/slaTicker';
import { refreshApex } from '@salesforce/apex';
import {
  $,
  RECORD_ID,
  mount as mountElement,
  cleanUp,
  flushPromises,
  provide,
  statusPart
} from 'test-utils';

const severity1 = require('./data/getUpdateCadenceSeverity1.json');
const noCadence = require('./data/getUpdateCadenceNoCadence.json');

jest.mock(
  '@salesforce/apex/IncidentResponseController.getUpdateCadence',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);

const MINUTE = 60 * 1000;

const mount = (props) =>
  mountElement('c-next-update-timer', NextUpdateTimer, {
    recordId: RECORD_ID,
    ...props
  });
const mountWith = (data) => provide(getUpdateCadence, data, mount());

describe('c-next-update-timer', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    cleanUp();
    jest.useRealTimers();
  });

  it('counts down to the next update from the last one sent, then warns, then is overdue', async () => {
    jest.setSystemTime(new Date('2026-01-05T09:20:00.000Z'));
    const element = await mountWith(severity1);

    expect(getUpdateCadence.getLastConfig()).toEqual({ recordId: RECORD_ID });
    let clock = $(element, '.update-clock');
    expect(clock.dataset.state).toBe('ok');
    expect($(element, '.update-state').textContent).toBe('On track');
    expect($(element, '.update-detail').textContent).toBe('20 min left');
    expect($(element, '.due-time').value).toBe('2026-01-05T09:40:00.000Z');
    expect($(element, '.cadence-text').textContent.trim()).toBe(
      'Every 30 min at severity 1, counted from the last update sent.'
    );
    expect($(element, '.next-step')).toBeNull();
    expect($(element, '.update-ring').value).toBe(33);

    // 09:33: 23 of 30 minutes gone, past the 75 % warning; the shared ticker moves it.
    jest.advanceTimersByTime(13 * MINUTE);
    await flushPromises();
    clock = $(element, '.update-clock');
    expect(clock.dataset.state).toBe('warning');
    expect($(element, '.update-state').classList).toContain(
      'slds-theme_warning'
    );
    expect($(element, '.next-step').textContent).toBe(
      'Send an update from the Communications section.'
    );

    jest.advanceTimersByTime(12 * MINUTE); // 09:45
    await flushPromises();
    expect($(element, '.update-clock').dataset.state).toBe('overdue');
    expect($(element, '.update-state').textContent).toBe('Overdue');
    expect($(element, '.update-detail').textContent).toBe('5 min overdue');
    expect($(element, '.update-ring').value).toBe(100);
  });

  it('resets the moment the Communications section sends, then reloads the cadence', async () => {
    jest.setSystemTime(new Date('2026-01-05T09:45:00.000Z'));
    const element = await mountWith(severity1);
    expect($(element, '.update-clock').dataset.state).toBe('overdue');

    communicationSent('0ny000000000999AAA', '2026-01-05T09:45:00.000Z');
    await flushPromises();
    expect($(element, '.update-clock').dataset.state).toBe('overdue');

    communicationSent(RECORD_ID, '2026-01-05T09:45:00.000Z');
    await flushPromises();
    expect($(element, '.update-clock').dataset.state).toBe('ok');
    expect($(element, '.update-detail').textContent).toBe('30 min left');
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('says when the severity has no cadence, and when the incident is closed', async () => {
    jest.setSystemTime(new Date('2026-01-05T09:20:00.000Z'));
    let element = await mountWith(noCadence);
    expect($(element, '.no-cadence').textContent).toBe(NO_CADENCE_TEXT);
    expect($(element, '.update-clock')).toBeNull();
    document.body.removeChild(element);

    element = await mountWith({ ...severity1, closed: true });
    expect($(element, '.no-cadence').textContent).toBe(CLOSED_TEXT);
  });

  it('counts from detection while no update was sent', async () => {
    jest.setSystemTime(new Date('2026-01-05T09:20:00.000Z'));
    const element = await mountWith({ ...severity1, lastSentAt: null });

    expect($(element, '.update-detail').textContent).toBe('10 min left');
    expect($(element, '.cadence-text').textContent).toContain(
      'counted from detection (no update sent yet)'
    );
  });

  it('shares the SLA timers ticker and leaves it when removed', async () => {
    const before = listenerCount();
    const element = await mountWith(severity1);
    expect(listenerCount()).toBe(before + 1);
    document.body.removeChild(element);
    expect(listenerCount()).toBe(before);
  });

  it('reloads when the console data is reloaded after a save, not on the first load', async () => {
    const element = mount({ consoleData: { severity: 2 } });
    getUpdateCadence.emit(severity1);
    await flushPromises();
    expect(refreshApex).not.toHaveBeenCalled();

    element.consoleData = { severity: 1 };
    await flushPromises();
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('shows its own error, with Try again', async () => {
    const element = mount();
    getUpdateCadence.error({
      message: 'No access to Incident_Sla_Policy__mdt'
    });
    await flushPromises();

    const panel = statusPart(element.shadowRoot, 'c-error-panel');
    expect(panel.friendlyMessage).toBe(
      'When the next customer update is due could not be worked out.'
    );
    expect(panel.retryable).toBe(true);
  });

  it('formats minutes, hours and days', () => {
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatMinutes(125)).toBe('2 h 05 min');
    expect(formatMinutes(1440)).toBe('1 d');
    expect(formatMinutes(1500)).toBe('1 d 1 h');
  });

  describe('accessibility', () => {
    it('is accessible counting down and overdue', async () => {
      jest.setSystemTime(new Date('2026-01-05T09:45:00.000Z'));
      jest.useRealTimers();
      const element = await mountWith(severity1);
      expect($(element, '.update-status').getAttribute('aria-live')).toBe(
        'polite'
      );
      await expect(element).toBeAccessible();
    });

    it('is accessible without a cadence and with the error panel', async () => {
      jest.useRealTimers();
      const element = await mountWith(noCadence);
      await expect(element).toBeAccessible();
      const failing = mount();
      getUpdateCadence.error({ message: 'No access' });
      await flushPromises();
      await expect(failing).toBeAccessible();
    });
  });
});
