import IncidentTimeline, { PAGE_SIZE, relativeTime } from 'c/incidentTimeline';
import getTimeline from '@salesforce/apex/IncidentTimelineController.getTimeline';
import addNote from '@salesforce/apex/IncidentTimelineController.addNote';
import setStarred from '@salesforce/apex/IncidentTimelineController.setStarred';
import { updateRecord } from 'lightning/uiRecordApi';
import {
  $,
  $$,
  RECORD_ID,
  changeValue,
  cleanUp,
  flushPromises,
  mountOnIncident
} from 'test-utils';

const page1 = require('./data/getTimeline.json');
const page2 = require('./data/getTimelinePage2.json');
const empty = require('./data/getTimelineEmpty.json');
const savedNote = require('./data/addNote.json');

jest.mock(
  '@salesforce/apex/IncidentTimelineController.getTimeline',
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentTimelineController.addNote',
  () => ({ default: jest.fn() }),
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/IncidentTimelineController.setStarred',
  () => ({ default: jest.fn() }),
  { virtual: true }
);

/** axe over a list of events takes seconds on a loaded machine: more than jest's 5 s. */
const AXE_TIMEOUT = 30_000;
const APEX_ERROR = {
  status: 500,
  body: { message: 'You do not have access to the incident timeline.' }
};

/** Inside the event lists: each page of events is its own c-incident-timeline-events. */
const $$events = (element, selector) =>
  $$(element, 'c-incident-timeline-events').flatMap((list) =>
    $$(list, selector)
  );
const $event = (element, selector) => $$events(element, selector)[0] ?? null;
const summaries = (element) =>
  $$events(element, '.event-summary').map((node) => node.textContent.trim());
const lastQuery = () => getTimeline.mock.calls.at(-1)[0].query;

/** Mounts on the test incident and waits for the first page to render. */
async function mount(props) {
  const element = mountOnIncident(
    'c-incident-timeline',
    IncidentTimeline,
    props
  );
  await flushPromises();
  return element;
}

const typeNote = (element, value) =>
  changeValue($(element, 'lightning-textarea.note-text'), value);

describe('c-incident-timeline', () => {
  beforeEach(() => {
    getTimeline.mockResolvedValue(page1);
  });

  afterEach(cleanUp);

  it('asks for the first page newest first, unfiltered, and shows a spinner meanwhile', async () => {
    getTimeline.mockReturnValue(new Promise(() => {}));
    const element = await mount();

    expect(getTimeline).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      query: {
        order: 'newest',
        types: [],
        visibility: 'All',
        starredOnly: false,
        pageSize: PAGE_SIZE,
        cursor: null
      }
    });
    const status = $(element, 'c-section-status');
    expect(status.loading).toBe(true);
    expect(status.loadingText).toBe('Loading the timeline');
  });

  it('shows each event with its type, summary, actor, source and relative and exact time', async () => {
    const element = await mount();

    expect($(element, 'lightning-card').title).toBe('Timeline (4)');
    expect(summaries(element)).toEqual([
      'Severity raised 3 -> 1 (urgency High, impact High)',
      'First alert sent to 40 customers',
      'Incident created: inverters offline'
    ]);
    const [severity, sent] = $$events(element, 'li[data-id]');
    expect(severity.querySelector('.event-type').textContent).toBe('Severity');
    expect(severity.querySelector('.event-icon').iconName).toBe(
      'utility:priority'
    );
    expect(severity.querySelector('.event-actor').textContent).toBe(
      'Ana Agent'
    );
    expect(severity.querySelector('.event-source').textContent).toBe(
      'Automation'
    );
    const time = severity.querySelector('time');
    expect(time.getAttribute('datetime')).toBe('2026-01-05T09:20:00.000Z');
    expect(time.textContent).toBe(
      relativeTime('2026-01-05T09:20:00.000Z', Date.now())
    );
    expect(severity.querySelector('.event-exact').textContent).toContain(
      '2026'
    );
    expect(severity.querySelector('.customer-facing')).toBeNull();
    expect(sent.querySelector('.customer-facing').textContent).toBe(
      'Customer-facing'
    );
    // Events from outside the org's users without a name are the automation's.
    expect(sent.querySelector('.event-actor').textContent).toBe('Automation');
    expect(sent.querySelector('.star').selected).toBe(true);
    expect($(element, '.shown-count').textContent.trim()).toBe(
      'Showing 3 of 4'
    );
  });

  it('says how long ago in words', () => {
    const now = Date.parse('2026-01-05T12:00:00.000Z');
    expect(relativeTime('2026-01-05T11:59:30.000Z', now)).toBe('just now');
    expect(relativeTime('2026-01-05T11:55:00.000Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-01-05T09:00:00.000Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-01-03T12:00:00.000Z', now)).toBe('2 days ago');
  });

  it('opens an event to show its details and payload, and closes it again', async () => {
    const element = await mount();
    const toggle = $event(
      element,
      'li[data-id="a02000000000003AAA"] .toggle-details'
    );
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect($event(element, '.event-details')).toBeNull();

    toggle.click();
    await flushPromises();

    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const detail = (key) =>
      $event(
        element,
        `.event-details [data-detail="${key}"]`
      ).textContent.trim();
    expect(detail('source')).toBe('Automation');
    expect(detail('payload-from')).toBe('3');
    expect(detail('payload-urgency')).toBe('High');
    // The toggle names the details it opens (LWC keeps the id and the reference in step).
    expect($event(element, '.event-details').getAttribute('id')).toBe(
      toggle.getAttribute('aria-controls')
    );

    toggle.click();
    await flushPromises();
    expect($event(element, '.event-details')).toBeNull();
  });

  it('loads older events after the last one, appends them, and stops at the end', async () => {
    const element = await mount();
    getTimeline.mockResolvedValue(page2);

    $(element, 'lightning-button.load-more').click();
    await flushPromises();

    expect(lastQuery().cursor).toBe(page1.nextCursor);
    expect(summaries(element)).toHaveLength(4);
    expect(summaries(element)[3]).toBe(
      'First customer call came in before detection'
    );
    expect($(element, 'lightning-button.load-more')).toBeNull();
    expect($(element, '.timeline-announcement').textContent.trim()).toBe(
      '1 more events loaded.'
    );
    // Text that is not a JSON object shows as it is.
    $event(element, 'li[data-id="a02000000000000AAA"] .toggle-details').click();
    await flushPromises();
    expect(
      $event(
        element,
        '.event-details [data-detail="payload"]'
      ).textContent.trim()
    ).toBe('not json');
  });

  it('keeps a full page as it is when the next page loads', async () => {
    const full = {
      ...page1,
      events: Array.from({ length: PAGE_SIZE }, (_unused, index) => ({
        ...page1.events[0],
        id: `a03000000000${String(index).padStart(3, '0')}AAA`,
        summary: `Event ${index}`
      }))
    };
    getTimeline.mockResolvedValue(full);
    const element = await mount();
    const [firstPage] = $$(element, 'c-incident-timeline-events');
    const firstRows = firstPage.rows;
    expect(firstPage.label).toBe(`Timeline events 1 to ${PAGE_SIZE}`);
    getTimeline.mockResolvedValue(page2);

    $(element, 'lightning-button.load-more').click();
    await flushPromises();

    const pages = $$(element, 'c-incident-timeline-events');
    expect(pages).toHaveLength(2);
    expect(pages[0]).toBe(firstPage);
    expect(pages[0].rows).toBe(firstRows);
    expect(pages[1].label).toBe(
      `Timeline events ${PAGE_SIZE + 1} to ${PAGE_SIZE + 1}`
    );
  });

  it('keeps the events shown when older ones fail to load, with a retry', async () => {
    const element = await mount();
    getTimeline.mockRejectedValueOnce(APEX_ERROR);

    $(element, 'lightning-button.load-more').click();
    await flushPromises();

    expect(summaries(element)).toHaveLength(3);
    const panel = $(element, 'c-error-panel.load-more-error');
    expect(panel.friendlyMessage).toBe('More events could not be loaded.');

    getTimeline.mockResolvedValueOnce(page2);
    panel.dispatchEvent(new CustomEvent('retry'));
    await flushPromises();
    expect(summaries(element)).toHaveLength(4);
    expect($(element, 'c-error-panel.load-more-error')).toBeNull();
  });

  it('asks again from the first page when the order or a filter changes', async () => {
    const element = await mount();

    changeValue($(element, 'lightning-combobox.order'), 'oldest');
    await flushPromises();
    expect(lastQuery()).toMatchObject({ order: 'oldest', cursor: null });
    expect($(element, 'lightning-button.load-more').label).toBe(
      'Load newer events'
    );

    changeValue(
      $(element, 'lightning-combobox.visibility-filter'),
      'Customer-Facing'
    );
    await flushPromises();
    expect(lastQuery().visibility).toBe('Customer-Facing');

    const starredOnly = $(element, 'input.starred-only');
    starredOnly.checked = true;
    starredOnly.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    expect(lastQuery().starredOnly).toBe(true);

    // Only the types with events are offered, each with its count.
    const boxes = $$(element, '.type-filter input[type="checkbox"]');
    expect(boxes.map((box) => box.dataset.type)).toEqual([
      'Created',
      'Severity',
      'CommunicationSent',
      'Note'
    ]);
    expect($(element, '.type-filter label').textContent.trim()).toBe(
      'Created (1)'
    );
    const noteBox = boxes[3];
    noteBox.checked = true;
    noteBox.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    expect(lastQuery()).toMatchObject({
      order: 'oldest',
      types: ['Note'],
      visibility: 'Customer-Facing',
      starredOnly: true,
      cursor: null
    });
  });

  it('drops an older answer that arrives after a newer filter', async () => {
    const element = await mount();
    let answerSlowly;
    getTimeline.mockReturnValueOnce(
      new Promise((resolve) => {
        answerSlowly = resolve;
      })
    );
    getTimeline.mockResolvedValueOnce(page2);

    changeValue($(element, 'lightning-combobox.visibility-filter'), 'Internal');
    await flushPromises();
    changeValue($(element, 'lightning-combobox.order'), 'oldest');
    await flushPromises();
    answerSlowly(page1);
    await flushPromises();

    expect(summaries(element)).toEqual([
      'First customer call came in before detection'
    ]);
  });

  it('says when nothing is recorded, and when nothing matches the filters', async () => {
    getTimeline.mockResolvedValue(empty);
    const element = await mount();

    expect($(element, '.no-events').textContent).toContain(
      'Nothing has been recorded on this incident yet.'
    );
    expect($(element, 'lightning-button.clear-filters')).toBeNull();

    changeValue($(element, 'lightning-combobox.visibility-filter'), 'Internal');
    await flushPromises();
    expect($(element, '.no-events').textContent).toContain(
      'No events match these filters.'
    );
    $(element, 'lightning-button.clear-filters').click();
    await flushPromises();
    expect(lastQuery().visibility).toBe('All');
  });

  it('shows the error with a retry that loads the timeline again', async () => {
    getTimeline.mockRejectedValueOnce(APEX_ERROR);
    const element = await mount();

    const status = $(element, 'c-section-status');
    expect(status.errors).toEqual(APEX_ERROR);
    expect(status.errorText).toBe('The incident timeline could not be loaded.');
    expect($(element, 'c-incident-timeline-events')).toBeNull();

    status.dispatchEvent(new CustomEvent('retry'));
    await flushPromises();
    expect(summaries(element)).toHaveLength(3);
  });

  it('adds a note at the top, announces it, and starts a new draft', async () => {
    addNote.mockResolvedValue(savedNote);
    const element = await mount();
    typeNote(element, '  Vendor confirmed the firmware fault.  ');
    changeValue(
      $(element, 'lightning-combobox.note-visibility'),
      'Customer-Facing'
    );
    await flushPromises();

    $(element, 'lightning-button.add-note').click();
    await flushPromises();

    const [call] = addNote.mock.calls[0];
    expect(call).toMatchObject({
      recordId: RECORD_ID,
      summary: 'Vendor confirmed the firmware fault.',
      visibility: 'Customer-Facing'
    });
    expect(call.clientKey).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(summaries(element)[0]).toBe('Vendor confirmed the firmware fault.');
    expect($(element, 'lightning-card').title).toBe('Timeline (5)');
    expect($(element, '.timeline-announcement').textContent.trim()).toBe(
      'Note added: Vendor confirmed the firmware fault.'
    );
    expect($(element, 'lightning-textarea.note-text').value).toBe('');
    expect(
      $(element, '.type-filter input[data-type="Note"]').parentElement
        .textContent
    ).toContain('Note (2)');

    typeNote(element, 'Second note');
    await flushPromises();
    $(element, 'lightning-button.add-note').click();
    await flushPromises();
    expect(addNote.mock.calls[1][0].clientKey).not.toBe(call.clientKey);
  });

  it('retries a failed note with the same client key, so it cannot be written twice', async () => {
    addNote.mockRejectedValueOnce({
      body: { message: 'The note could not be saved: UNABLE_TO_LOCK_ROW' }
    });
    addNote.mockResolvedValueOnce(savedNote);
    const element = await mount();
    typeNote(element, 'Vendor confirmed the firmware fault.');
    await flushPromises();

    $(element, 'lightning-button.add-note').click();
    await flushPromises();
    expect($(element, 'c-error-panel.note-error').errors).toEqual({
      body: { message: 'The note could not be saved: UNABLE_TO_LOCK_ROW' }
    });
    expect($(element, 'lightning-textarea.note-text').value).toBe(
      'Vendor confirmed the firmware fault.'
    );

    $(element, 'lightning-button.add-note').click();
    await flushPromises();
    expect(addNote.mock.calls[1][0].clientKey).toBe(
      addNote.mock.calls[0][0].clientKey
    );
    expect($(element, 'c-error-panel.note-error')).toBeNull();
  });

  it('does not offer an empty or too long note, nor a second save while one runs', async () => {
    addNote.mockReturnValue(new Promise(() => {}));
    const element = await mount();
    const button = () => $(element, 'lightning-button.add-note');
    expect(button().disabled).toBe(true);

    typeNote(element, 'x'.repeat(256));
    await flushPromises();
    expect(button().disabled).toBe(true);

    typeNote(element, 'Short note');
    await flushPromises();
    expect(button().disabled).toBe(false);
    button().click();
    await flushPromises();
    expect(button().disabled).toBe(true);
    expect(button().label).toBe('Adding…');
    button().click();
    await flushPromises();
    expect(addNote).toHaveBeenCalledTimes(1);
  });

  it('stars an event at once and keeps it when the save succeeds', async () => {
    setStarred.mockResolvedValue({});
    const element = await mount();
    const star = $event(element, 'li[data-id="a02000000000003AAA"] .star');

    star.click();
    await flushPromises();
    expect(star.selected).toBe(true);
    await flushPromises();

    expect(setStarred).toHaveBeenCalledWith({
      eventId: 'a02000000000003AAA',
      starred: true
    });
    expect(star.selected).toBe(true);
    expect($(element, '.timeline-announcement').textContent).toContain(
      'Starred: Severity raised'
    );
  });

  it('takes the star back and says why when the save fails', async () => {
    let refuse;
    setStarred.mockReturnValue(
      new Promise((_resolve, reject) => {
        refuse = reject;
      })
    );
    const element = await mount();
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) =>
      toasts.push(event.detail)
    );
    const star = $event(element, 'li[data-id="a02000000000002AAA"] .star');
    expect(star.selected).toBe(true);

    star.click();
    await flushPromises();
    expect(star.selected).toBe(false);
    expect(star.disabled).toBe(true);

    refuse({ body: { message: 'Timeline events are append-only.' } });
    await flushPromises();

    expect(star.selected).toBe(true);
    expect(star.disabled).toBe(false);
    expect(toasts).toEqual([
      {
        title: 'Event not unstarred',
        message: 'Timeline events are append-only.',
        variant: 'error'
      }
    ]);
    expect($(element, '.timeline-announcement').textContent).toContain(
      'The star was not saved.'
    );
  });

  it('marks the incident mitigated and reloads the timeline', async () => {
    const element = await mount();
    getTimeline.mockResolvedValue({
      ...page1,
      mitigatedAt: '2026-01-05T10:00:00.000Z',
      canMarkMitigated: false
    });

    $(element, 'lightning-button.mark-mitigated').click();
    await flushPromises();

    const { fields } = updateRecord.mock.calls[0][0];
    expect(fields.Id).toBe(RECORD_ID);
    expect(Date.parse(fields.Mitigated_At__c)).not.toBeNaN();
    expect(getTimeline).toHaveBeenCalledTimes(2);
    expect($(element, 'lightning-button.mark-mitigated')).toBeNull();
    expect($(element, '.mitigated-at').textContent).toContain('Mitigated');
  });

  it('reloads when the console reloads its data', async () => {
    const element = await mount({ consoleData: { severity: 3 } });
    expect(getTimeline).toHaveBeenCalledTimes(1);

    element.consoleData = { severity: 1 };
    await flushPromises();
    expect(getTimeline).toHaveBeenCalledTimes(2);
  });

  it('renders nothing and asks nothing on a problem', async () => {
    const element = await mount({ objectApiName: 'Problem' });
    expect($(element, 'lightning-card')).toBeNull();
    expect(getTimeline).not.toHaveBeenCalled();
  });

  it('hides the note form and disables stars for a user who may do neither', async () => {
    getTimeline.mockResolvedValue({
      ...page1,
      canAddNote: false,
      canStar: false,
      canMarkMitigated: false
    });
    const element = await mount();
    expect($(element, '.note-form')).toBeNull();
    expect($(element, 'lightning-button.mark-mitigated')).toBeNull();
    expect($$events(element, '.star').every((star) => star.disabled)).toBe(
      true
    );
  });

  it(
    'is accessible with events, open details and the note form',
    async () => {
      const element = await mount();
      $event(element, '.toggle-details').click();
      await flushPromises();
      await expect(element).toBeAccessible();
    },
    AXE_TIMEOUT
  );

  it(
    'is accessible when empty and when failed',
    async () => {
      getTimeline.mockResolvedValue(empty);
      const emptyElement = await mount();
      await expect(emptyElement).toBeAccessible();
      document.body.removeChild(emptyElement);

      getTimeline.mockRejectedValue(APEX_ERROR);
      const failed = await mount();
      await expect(failed).toBeAccessible();
    },
    AXE_TIMEOUT
  );
});
