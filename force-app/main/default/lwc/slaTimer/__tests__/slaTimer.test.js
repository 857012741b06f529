import SlaTimer, { CALENDAR_ERROR_TEXT } from 'c/slaTimer';
import { TICK_INTERVAL_MS } from 'c/slaTicker';
import {
  $,
  $$,
  mount as mountElement,
  cleanUp,
  fakeVisibility,
  flushPromises,
  setVisibility
} from 'test-utils';

const severity1Open = require('./data/severity1Open24x7.json');
const severity1Completed = require('./data/severity1Completed.json');
const severity1WithoutStoredDue = require('./data/severity1WithoutStoredDue.json');
const severity2BusinessHours = require('./data/severity2BusinessHours.json');
const severity4NoSla = require('./data/severity4NoSla.json');

const MINUTE = 60 * 1000;

const mount = (consoleData) =>
  mountElement('c-sla-timer', SlaTimer, { consoleData });

function clock(element, key) {
  const item = $(element, `li[data-clock="${key}"]`);
  return {
    item,
    state: item.dataset.state,
    badge: item.querySelector('.sla-state'),
    detail: item.querySelector('.clock-detail').textContent,
    paused: item.querySelector('.paused')?.textContent ?? null
  };
}

async function advance(ms) {
  jest.advanceTimersByTime(ms);
  await flushPromises();
}

describe('c-sla-timer', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    fakeVisibility();
  });

  afterEach(() => {
    cleanUp();
    jest.useRealTimers();
  });

  it('moves the response clock from on track to warning to breached as business time passes', async () => {
    jest.setSystemTime(new Date('2025-03-04T16:10:00.000Z'));
    const element = mount(severity1Open);
    await flushPromises();

    let response = clock(element, 'response');
    expect(response.state).toBe('on-track');
    expect(response.badge.textContent).toBe('On track');
    expect(response.badge.classList).toContain('slds-theme_success');
    expect(response.detail).toBe('20 min left');

    await advance(13 * MINUTE); // 16:23, 23 of 30 minutes used: past the 75 % warning
    response = clock(element, 'response');
    expect(response.state).toBe('warning');
    expect(response.badge.textContent).toBe('Warning');
    expect(response.badge.classList).toContain('slds-theme_warning');
    expect(response.detail).toBe('7 min left');

    await advance(8 * MINUTE); // 16:31, one minute past the target
    response = clock(element, 'response');
    expect(response.state).toBe('breached');
    expect(response.badge.textContent).toBe('Breached');
    expect(response.badge.classList).toContain('slds-theme_error');
    expect(response.detail).toBe('1 min overdue');

    const resolution = clock(element, 'resolution');
    expect(resolution.state).toBe('on-track');
    expect(resolution.detail).toBe('3 h 29 min left');
    expect(
      resolution.item.querySelector('lightning-formatted-date-time.due').value
    ).toBe('2025-03-04T20:00:00.000Z');
  });

  it('labels the target under every clock and the completion time only once completed', async () => {
    jest.setSystemTime(new Date('2025-03-05T10:00:00.000Z'));
    const times = (element, key) =>
      [
        ...clock(element, key).item.querySelectorAll(
          '.clock-times lightning-formatted-date-time'
        )
      ].map((time) => [time.previousElementSibling.textContent, time.value]);

    const running = mount(severity1Open);
    const completed = mount(severity1Completed);
    await flushPromises();

    expect(times(running, 'response')).toEqual([
      ['Target: ', '2025-03-04T16:30:00.000Z']
    ]);
    expect(times(completed, 'response')).toEqual([
      ['Target: ', '2025-03-04T16:30:00.000Z'],
      [' · Completed: ', '2025-03-04T16:20:00.000Z']
    ]);
  });

  it('shows met and missed with the completion time once the clocks have stopped', async () => {
    jest.setSystemTime(new Date('2025-03-05T10:00:00.000Z'));
    const element = mount(severity1Completed);
    await flushPromises();

    const response = clock(element, 'response');
    expect(response.state).toBe('met');
    expect(response.badge.textContent).toBe('Met');
    expect(response.detail).toBe('Completed 10 min before the target');
    expect(response.item.querySelector('.completed-at').value).toBe(
      '2025-03-04T16:20:00.000Z'
    );

    const resolution = clock(element, 'resolution');
    expect(resolution.state).toBe('missed');
    expect(resolution.badge.textContent).toBe('Missed');
    expect(resolution.badge.classList).toContain('slds-theme_error');
    expect(resolution.detail).toBe('Completed 45 min after the target');
    expect(resolution.paused).toBeNull();
  });

  it('says the clock is paused outside business hours (weekend, across the DST change)', async () => {
    jest.setSystemTime(new Date('2025-03-08T18:00:00.000Z')); // Saturday 10:00 in Los Angeles
    const element = mount(severity2BusinessHours);
    await flushPromises();

    const response = clock(element, 'response');
    expect(response.state).toBe('breached');
    expect(response.detail).toBe('1 h overdue');
    expect(response.paused).toBe('Outside business hours — clock paused');

    const resolution = clock(element, 'resolution');
    expect(resolution.state).toBe('on-track');
    expect(resolution.detail).toBe('6 h left');
    expect(resolution.paused).toBe('Outside business hours — clock paused');

    // Monday 09:00 PDT (the next tick lands there): the clock runs again, one business hour later.
    jest.setSystemTime(
      new Date(Date.parse('2025-03-10T16:00:00.000Z') - TICK_INTERVAL_MS)
    );
    await advance(TICK_INTERVAL_MS);
    const monday = clock(element, 'resolution');
    expect(monday.paused).toBeNull();
    expect(monday.detail).toBe('5 h left');
  });

  it('shows the time used as a ring and in words, and what happens next, per state', async () => {
    jest.setSystemTime(new Date('2025-03-04T16:10:00.000Z'));
    const element = mount(severity1Open);
    await flushPromises();
    const view = (key) => {
      const item = clock(element, key).item;
      return {
        ring: item.querySelector('lightning-progress-ring'),
        progress: item.querySelector('.progress-text')?.textContent.trim(),
        next: item.querySelector('.next-step')?.textContent,
        nextAt: item.querySelector('.next-step lightning-formatted-date-time')
          ?.value
      };
    };

    let response = view('response');
    expect(response.ring.value).toBe(33);
    expect(response.ring.variant).toBe('base');
    expect(response.ring.parentElement.getAttribute('aria-hidden')).toBe(
      'true'
    );
    expect(response.progress).toBe('33% of the time used');
    expect(response.next).toBe(
      'Breaches at . If it will be missed, escalate to the service level manager.'
    );
    expect(response.nextAt).toBe('2025-03-04T16:30:00.000Z');

    await advance(13 * MINUTE); // warning
    response = view('response');
    expect(response.ring.variant).toBe('warning');
    expect(response.progress).toBe('77% of the time used');
    expect(response.next).toBe(
      'Breaches at : escalate to the service level manager now if it will be missed.'
    );

    await advance(8 * MINUTE); // breached
    response = view('response');
    expect(response.ring.variant).toBe('expired');
    expect(response.ring.value).toBe(100);
    expect(response.next).toBe(
      'Breached at : escalate to the service level manager.'
    );
  });

  it('fills the ring of a completed clock and says no next step', async () => {
    jest.setSystemTime(new Date('2025-03-05T10:00:00.000Z'));
    const element = mount(severity1Completed);
    await flushPromises();

    const met = clock(element, 'response').item;
    expect(met.querySelector('lightning-progress-ring').value).toBe(100);
    expect(met.querySelector('lightning-progress-ring').variant).toBe(
      'base-autocomplete'
    );
    expect(met.querySelector('.next-step')).toBeNull();
    expect(met.querySelector('.progress-text')).toBeNull();
    expect(
      clock(element, 'resolution').item.querySelector('lightning-progress-ring')
        .variant
    ).toBe('expired');
  });

  it('derives due times from the policy when the record has none stored', async () => {
    jest.setSystemTime(new Date('2025-03-04T16:05:00.000Z'));
    const element = mount(severity1WithoutStoredDue);
    await flushPromises();

    expect(clock(element, 'response').detail).toBe('25 min left');
    expect($(element, 'li[data-clock="resolution"] .due').value).toBe(
      '2025-03-04T20:00:00.000Z'
    );
  });

  it('explains that severities without an SLA follow the standard case process', async () => {
    const element = mount(severity4NoSla);
    await flushPromises();

    expect($(element, '.no-sla').textContent).toBe(
      'No incident SLA (standard case process)'
    );
    expect($$(element, 'li[data-clock]')).toHaveLength(0);
  });

  it('says there is no clock for a record without a detection time (a problem, say)', async () => {
    const element = mount({
      ...severity1Open,
      objectApiName: 'Problem',
      detectedAt: null,
      responseDue: null,
      resolutionDue: null
    });
    await flushPromises();

    expect($(element, '.not-started').textContent.trim()).toBe(
      'No SLA clock: the record has no detection time.'
    );
    expect($$(element, 'li[data-clock]')).toHaveLength(0);
  });

  it('shows an error panel when the record data cannot be computed', async () => {
    const element = mount({ ...severity1Open, detectedAt: 'yesterday-ish' });
    await flushPromises();

    const panel = $(element, 'c-error-panel');
    expect(panel).not.toBeNull();
    expect(panel.errors).toBeInstanceOf(Error);
  });

  it('shows no clock but says why, with the stored targets, when the calendar could not be read', async () => {
    jest.setSystemTime(new Date('2025-03-08T18:00:00.000Z'));
    const reason =
      'The business hours calendar could not be read, so the SLA timers cannot tell open from closed hours: No access to entity Holiday';
    const element = mount({
      ...severity2BusinessHours,
      calendar: null,
      calendarError: reason
    });
    await flushPromises();

    // A clock without the calendar would count the closed weekend as open time.
    expect($$(element, 'li[data-clock]')).toHaveLength(0);
    const panel = $(element, 'c-error-panel.calendar-error');
    expect(panel.friendlyMessage).toBe(CALENDAR_ERROR_TEXT);
    expect(panel.friendlyMessage).toMatch(/^The SLA clock cannot be shown/);
    expect(panel.errors).toBe(reason);
    const dueTimes = $$(element, '.due-times li').map((item) => [
      item.dataset.due,
      item.querySelector('lightning-formatted-date-time').value
    ]);
    expect(dueTimes).toEqual([
      ['response', severity2BusinessHours.responseDue],
      ['resolution', severity2BusinessHours.resolutionDue]
    ]);
  });

  it('keeps the "no SLA" answer for a severity without one, whether or not the calendar loaded', async () => {
    const element = mount({
      ...severity4NoSla,
      calendar: null,
      calendarError: 'The business hours calendar could not be read'
    });
    await flushPromises();

    expect($(element, '.no-sla')).not.toBeNull();
    expect($(element, '.calendar-error')).toBeNull();
  });

  it('shares one interval between several timers and clears it after the last disconnects', async () => {
    jest.setSystemTime(new Date('2025-03-04T16:10:00.000Z'));
    const first = mount(severity1Open);
    const second = mount(severity2BusinessHours);
    const third = mount(severity1Completed);
    await flushPromises();

    expect(jest.getTimerCount()).toBe(1);

    document.body.removeChild(first);
    document.body.removeChild(second);
    expect(jest.getTimerCount()).toBe(1);
    document.body.removeChild(third);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops updating while the tab is hidden and catches up when it is shown', async () => {
    jest.setSystemTime(new Date('2025-03-04T16:10:00.000Z'));
    const element = mount(severity1Open);
    await flushPromises();

    setVisibility('hidden');
    expect(jest.getTimerCount()).toBe(0);
    await advance(15 * MINUTE); // now 16:25, but nothing ticked
    expect(clock(element, 'response').detail).toBe('20 min left');

    setVisibility('visible');
    await flushPromises();
    expect(clock(element, 'response').state).toBe('warning');
    expect(clock(element, 'response').detail).toBe('5 min left');
    expect(jest.getTimerCount()).toBe(1);
  });

  describe('accessibility', () => {
    // sa11y refuses to run while timers are fake (axe needs real ones): each state is
    // rendered at a fixed fake time, then real timers are restored for the check.
    async function expectAccessible(element) {
      jest.useRealTimers();
      await expect(element).toBeAccessible();
    }

    it.each([
      {
        name: 'on track',
        data: severity1Open,
        now: '2025-03-04T16:10:00.000Z',
        announced: ['Response: On track', 'Resolution: On track'],
        paused: 0
      },
      {
        name: 'in warning',
        data: severity1Open,
        now: '2025-03-04T16:23:00.000Z',
        announced: ['Response: Warning', 'Resolution: On track'],
        paused: 0
      },
      {
        name: 'breached',
        data: severity1Open,
        now: '2025-03-04T16:31:00.000Z',
        announced: ['Response: Breached', 'Resolution: On track'],
        paused: 0
      },
      {
        name: 'met and missed',
        data: severity1Completed,
        now: '2025-03-05T10:00:00.000Z',
        announced: ['Response: Met', 'Resolution: Missed'],
        paused: 0
      },
      {
        name: 'paused outside business hours',
        data: severity2BusinessHours,
        now: '2025-03-08T18:00:00.000Z',
        announced: ['Response: Breached', 'Resolution: On track'],
        paused: 2
      }
    ])(
      'is accessible $name, announcing each state in words with its clock',
      async ({ data, now, announced, paused }) => {
        jest.setSystemTime(new Date(now));
        const element = mount(data);
        await flushPromises();

        const statuses = $$(element, 'li[data-clock] .clock-status');
        // State is never colour alone: the live region says which clock and which state,
        // with a separator so the two words are not read as one.
        expect(statuses.map((status) => status.textContent)).toEqual(announced);
        statuses.forEach((status) => {
          expect(status.getAttribute('aria-live')).toBe('polite');
          expect(status.getAttribute('aria-atomic')).toBe('true');
        });
        expect($$(element, '.paused')).toHaveLength(paused);
        await expectAccessible(element);
      }
    );

    it.each([
      { name: 'without an SLA', data: severity4NoSla, selector: '.no-sla' },
      {
        name: 'without a detection time',
        data: { ...severity1Open, detectedAt: null },
        selector: '.not-started'
      },
      {
        name: 'with the error panel',
        data: { ...severity1Open, detectedAt: 'yesterday-ish' },
        selector: 'c-error-panel'
      },
      {
        name: 'when the calendar could not be read',
        data: {
          ...severity2BusinessHours,
          calendar: null,
          calendarError: 'The business hours calendar could not be read'
        },
        selector: '.calendar-error'
      }
    ])('is accessible $name', async ({ data, selector }) => {
      const element = mount(data);
      await flushPromises();

      expect($(element, selector)).not.toBeNull();
      await expectAccessible(element);
    });
  });
});
