import { LightningElement, api } from 'lwc';
import { updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getTimeline from '@salesforce/apex/IncidentTimelineController.getTimeline';
import addNote from '@salesforce/apex/IncidentTimelineController.addNote';
import setStarred from '@salesforce/apex/IncidentTimelineController.setStarred';
import MITIGATED_AT_FIELD from '@salesforce/schema/Incident.Mitigated_At__c';
import { reduceErrors } from 'c/ldsUtils';

/** Events per request: the first page shows at once; older ones load on demand. */
export const PAGE_SIZE = 50;
/** Incident_Event__c.Summary__c is Text(255). */
export const NOTE_LENGTH = 255;

const NEWEST = 'newest';
const OLDEST = 'oldest';
const ALL = 'All';
const INTERNAL = 'Internal';
const CUSTOMER_FACING = 'Customer-Facing';
const NOTE = 'Note';

/** An icon per event type (Type__c API values); the type's label is always shown beside it. */
const TYPE_ICONS = {
  Created: 'utility:new',
  Status: 'utility:change_record_type',
  Severity: 'utility:priority',
  UrgencyImpact: 'utility:sort',
  Owner: 'utility:change_owner',
  SlaWarning: 'utility:warning',
  SlaBreach: 'utility:error',
  SlaMet: 'utility:success',
  CaseLinked: 'utility:case',
  RelatedItemAdded: 'utility:link',
  ResponderAdded: 'utility:groups',
  CommunicationSent: 'utility:email',
  ResponseStep: 'utility:steps',
  Note: 'utility:note',
  Milestone: 'utility:clock'
};
const DEFAULT_ICON = 'utility:record_update';

const ORDER_OPTIONS = [
  { label: 'Newest first', value: NEWEST },
  { label: 'Oldest first', value: OLDEST }
];
const VISIBILITY_FILTERS = [
  { label: 'All', value: ALL },
  { label: 'Internal', value: INTERNAL },
  { label: 'Customer-facing', value: CUSTOMER_FACING }
];
const NOTE_VISIBILITIES = [
  { label: 'Internal (incident team)', value: INTERNAL },
  { label: 'Customer-facing', value: CUSTOMER_FACING }
];

const RELATIVE_UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60]
];

/** One formatter for every event: making one per event costs more than the formatting. */
const RELATIVE_TIME = new Intl.RelativeTimeFormat(undefined, {
  numeric: 'auto'
});

/**
 * "5 minutes ago", "in 2 hours", "just now": how long ago an event happened, for a glance;
 * the exact time is shown beside it.
 * @param {string} iso the event's time
 * @param {number} now milliseconds
 * @returns {string}
 */
export function relativeTime(iso, now) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) {
      return RELATIVE_TIME.format(Math.trunc(seconds / size), unit);
    }
  }
  return 'just now';
}

const EXACT_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short'
});

function exactTime(iso) {
  return iso ? EXACT_TIME.format(new Date(iso)) : '';
}

/** A note's key for the controller: the same for every retry of one draft. */
function newClientKey() {
  // crypto.randomUUID exists in every browser Lightning supports (secure contexts).
  return globalThis.crypto?.randomUUID
    ? globalThis.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** The payload's entries as label/value rows; text that is not a JSON object shows as it is. */
function payloadRows(payload) {
  if (!payload) {
    return [];
  }
  let parsed;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return [{ key: 'payload', label: 'Payload', value: payload }];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return [{ key: 'payload', label: 'Payload', value: payload }];
  }
  return Object.entries(parsed).map(([key, value]) => ({
    key: `payload-${key}`,
    label: key,
    value:
      value !== null && typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
  }));
}

/** An event's own fields as label/value rows for its details. */
function details(event) {
  return [
    { key: 'type', label: 'Type', value: event.typeLabel ?? event.type },
    { key: 'source', label: 'Source', value: event.source ?? '' },
    { key: 'visibility', label: 'Visibility', value: event.visibility ?? '' },
    { key: 'occurred', label: 'Occurred', value: exactTime(event.occurredAt) },
    { key: 'recorded', label: 'Recorded', value: exactTime(event.recordedAt) }
  ].filter((row) => row.value);
}

/**
 * The incident's timeline in the console: every event (status, severity, owner, SLA, cases,
 * communications, notes, milestones) newest or oldest first, filtered by type, visibility and
 * star, a page at a time ("Load older events"), so an incident with thousands of events renders
 * its first page as fast as one with ten. Agents add notes (internal or customer-facing) and
 * star events for the postmortem; a star shows at once and is taken back if the save fails.
 *
 * A note carries a client key kept until it is saved, so a double click or a retry after a
 * failure writes it once. The section reloads when the console's data reloads (after a save
 * in the matrix or the header's refresh), since those saves write events.
 */
export default class IncidentTimeline extends LightningElement {
  @api recordId;
  /** Only incidents have a timeline; on problems and change requests nothing renders. */
  @api objectApiName;

  /**
   * The console's data (IncidentConsoleController.getConsole). Only its identity matters: a
   * new value after the first means the incident was saved or refreshed, so reload.
   */
  @api
  get consoleData() {
    return this.consoleDataValue;
  }
  set consoleData(value) {
    const reloaded =
      this.consoleDataValue !== undefined && value !== this.consoleDataValue;
    this.consoleDataValue = value;
    if (reloaded && value && this.connected) {
      this.refresh();
    }
  }

  consoleDataValue;
  connected = false;

  /** The page state: events shown so far, where the next page starts, counts. */
  events = [];
  nextCursor = null;
  counts = [];
  total = 0;
  canAddNote = false;
  canStar = false;
  mitigatedAt = null;
  canMarkMitigated = false;
  loaded = false;

  loading = false;
  error;
  loadingMore = false;
  loadMoreError;

  order = NEWEST;
  visibility = ALL;
  starredOnly = false;
  /** Type__c values to show; empty = every type. */
  selectedTypes = [];

  noteText = '';
  noteVisibility = INTERNAL;
  noteKey = newClientKey();
  savingNote = false;
  noteError;
  markingMitigated = false;

  /** Events whose details are open, by id. */
  expanded = new Set();
  /** Events whose star is being saved, by id: a second click waits for the first. */
  starring = new Set();
  /** Read by the aria-live region: what just changed, for screen readers. */
  announcement = '';
  /** "now" for relative times, taken when a page arrives (they do not tick). */
  now = Date.now();
  /** Only the latest request may fill the list: an older answer is dropped. */
  requestSequence = 0;
  /** Built rows by event object (see rows); entries go with their events. */
  rowCache = new WeakMap();
  /** The pages last rendered (see pages). */
  pageCache = [];

  connectedCallback() {
    this.connected = true;
    if (this.isIncident) {
      this.load();
    }
  }

  disconnectedCallback() {
    this.connected = false;
  }

  get isIncident() {
    return (
      !!this.recordId &&
      (!this.objectApiName || this.objectApiName === 'Incident')
    );
  }

  /** Loads the first page again (the console's refresh, "Try again", a new filter). */
  @api
  refresh() {
    return this.load();
  }

  query(cursor) {
    return {
      order: this.order,
      types: [...this.selectedTypes],
      visibility: this.visibility,
      starredOnly: this.starredOnly,
      pageSize: PAGE_SIZE,
      cursor
    };
  }

  async load() {
    const sequence = ++this.requestSequence;
    this.loading = true;
    this.loadMoreError = undefined;
    try {
      const page = await getTimeline({
        recordId: this.recordId,
        query: this.query(null)
      });
      if (sequence !== this.requestSequence) {
        return;
      }
      this.showPage(page, false);
      this.error = undefined;
    } catch (error) {
      if (sequence !== this.requestSequence) {
        return;
      }
      this.error = error;
    } finally {
      if (sequence === this.requestSequence) {
        this.loading = false;
      }
    }
  }

  async loadMore() {
    if (!this.nextCursor || this.loadingMore || this.loading) {
      return;
    }
    const sequence = this.requestSequence;
    this.loadingMore = true;
    this.loadMoreError = undefined;
    try {
      const page = await getTimeline({
        recordId: this.recordId,
        query: this.query(this.nextCursor)
      });
      if (sequence !== this.requestSequence) {
        return;
      }
      this.showPage(page, true);
      this.announcement = `${page.events.length} more events loaded.`;
    } catch (error) {
      if (sequence === this.requestSequence) {
        this.loadMoreError = error;
      }
    } finally {
      this.loadingMore = false;
    }
  }

  showPage(page, append) {
    const known = append ? new Set(this.events.map((event) => event.id)) : null;
    const fresh = (page.events ?? []).filter(
      (event) => !known || !known.has(event.id)
    );
    this.events = append ? [...this.events, ...fresh] : fresh;
    this.nextCursor = page.nextCursor ?? null;
    this.counts = page.counts ?? [];
    this.total = page.total ?? 0;
    this.canAddNote = !!page.canAddNote;
    this.canStar = !!page.canStar;
    this.mitigatedAt = page.mitigatedAt ?? null;
    this.canMarkMitigated = !!page.canMarkMitigated;
    this.loaded = true;
    if (!append) {
      // Older pages keep the first page's "now", so their rows are built once.
      this.now = Date.now();
      this.expanded = new Set();
    }
  }

  get showStatus() {
    return (this.loading && !this.loaded) || (!!this.error && !this.loading);
  }

  get isFirstLoad() {
    return this.loading && !this.loaded;
  }

  get title() {
    return this.loaded ? `Timeline (${this.total})` : 'Timeline';
  }

  get orderOptions() {
    return ORDER_OPTIONS;
  }

  get visibilityOptions() {
    return VISIBILITY_FILTERS;
  }

  get noteVisibilityOptions() {
    return NOTE_VISIBILITIES;
  }

  get hasEvents() {
    return this.events.length > 0;
  }

  get isFiltered() {
    return (
      this.selectedTypes.length > 0 ||
      this.visibility !== ALL ||
      this.starredOnly
    );
  }

  get emptyText() {
    return this.isFiltered
      ? 'No events match these filters.'
      : 'Nothing has been recorded on this incident yet.';
  }

  /** The types that have events under the current visibility and star filters, and any chosen. */
  get typeOptions() {
    return this.counts
      .filter(
        (count) => count.count > 0 || this.selectedTypes.includes(count.type)
      )
      .map((count) => ({
        type: count.type,
        label: `${count.label} (${count.count})`,
        checked: this.selectedTypes.includes(count.type),
        inputId: `type-${count.type}`
      }));
  }

  get hasTypeOptions() {
    return this.typeOptions.length > 0;
  }

  get shownText() {
    return `Showing ${this.events.length} of ${this.total}`;
  }

  get hasMore() {
    return !!this.nextCursor;
  }

  get loadMoreLabel() {
    return this.order === NEWEST ? 'Load older events' : 'Load newer events';
  }

  get loadMoreDisabled() {
    return this.loadingMore || this.loading;
  }

  /**
   * The events as the template shows them. A row is built again only when its event, its open
   * state, its star's state or the "now" of relative times changed, so loading another page
   * or starring one event does not rebuild a thousand rows.
   */
  get rows() {
    const labels = new Map(
      this.counts.map((count) => [count.type, count.label])
    );
    return this.events.map((event) => {
      const open = this.expanded.has(event.id);
      const starDisabled = !this.canStar || this.starring.has(event.id);
      const cached = this.rowCache.get(event);
      if (
        cached &&
        cached.open === open &&
        cached.starDisabled === starDisabled &&
        cached.now === this.now
      ) {
        return cached.row;
      }
      const row = this.rowOf(event, labels, open, starDisabled);
      this.rowCache.set(event, { row, open, starDisabled, now: this.now });
      return row;
    });
  }

  /**
   * The rows in pages of PAGE_SIZE, one c-incident-timeline-events each. A page whose rows are
   * all the ones it had keeps its array, so the child sees no change and does not render again.
   */
  get pages() {
    const rows = this.rows;
    const pages = [];
    for (let start = 0; start < rows.length; start += PAGE_SIZE) {
      const pageRows = rows.slice(start, start + PAGE_SIZE);
      const previous = this.pageCache[pages.length];
      const same =
        previous &&
        previous.rows.length === pageRows.length &&
        previous.rows.every((row, index) => row === pageRows[index]);
      pages.push(
        same
          ? previous
          : {
              key: `page-${start}`,
              label: `Timeline events ${start + 1} to ${start + pageRows.length}`,
              rows: pageRows
            }
      );
    }
    this.pageCache = pages;
    return pages;
  }

  rowOf(event, labels, open, starDisabled) {
    const typeLabel = event.typeLabel ?? labels.get(event.type) ?? event.type;
    return {
      ...event,
      typeLabel,
      icon: TYPE_ICONS[event.type] ?? DEFAULT_ICON,
      itemClass: `slds-timeline__item_expandable timeline-event${open ? ' slds-is-open' : ''}`,
      relative: relativeTime(event.occurredAt, this.now),
      exact: exactTime(event.occurredAt),
      actor: event.actorName || 'Automation',
      isCustomerFacing: event.visibility === CUSTOMER_FACING,
      open,
      toggleLabel: `${open ? 'Hide' : 'Show'} details of ${typeLabel}: ${event.summary}`,
      ariaExpanded: String(open),
      detailsId: `details-${event.id}`,
      // Only an open event's details are built and rendered: 1,000 closed events stay light.
      details: open ? [...details(event), ...payloadRows(event.payload)] : [],
      starLabel: event.starred
        ? `Unstar: ${event.summary}`
        : `Star for the postmortem: ${event.summary}`,
      starDisabled
    };
  }

  get noteTooLong() {
    return this.noteText.trim().length > NOTE_LENGTH;
  }

  get addNoteDisabled() {
    return this.savingNote || this.noteText.trim() === '' || this.noteTooLong;
  }

  get addNoteLabel() {
    return this.savingNote ? 'Adding…' : 'Add note';
  }

  get showMarkMitigated() {
    return this.loaded && this.canMarkMitigated && !this.mitigatedAt;
  }

  get mitigatedText() {
    return this.mitigatedAt ? `Mitigated ${exactTime(this.mitigatedAt)}` : '';
  }

  handleOrderChange(event) {
    this.order = event.detail.value;
    this.load();
  }

  handleVisibilityChange(event) {
    this.visibility = event.detail.value;
    this.load();
  }

  handleStarredOnlyChange(event) {
    this.starredOnly = event.target.checked;
    this.load();
  }

  handleTypeChange(event) {
    const type = event.target.dataset.type;
    this.selectedTypes = event.target.checked
      ? [...this.selectedTypes, type]
      : this.selectedTypes.filter((selected) => selected !== type);
    this.load();
  }

  handleClearFilters() {
    this.selectedTypes = [];
    this.visibility = ALL;
    this.starredOnly = false;
    this.load();
  }

  handleLoadMore() {
    return this.loadMore();
  }

  handleRetry() {
    return this.load();
  }

  handleToggle(event) {
    const { id } = event.detail;
    const expanded = new Set(this.expanded);
    if (expanded.has(id)) {
      expanded.delete(id);
    } else {
      expanded.add(id);
    }
    this.expanded = expanded;
  }

  handleNoteChange(event) {
    this.noteText = event.detail.value ?? '';
  }

  handleNoteVisibilityChange(event) {
    this.noteVisibility = event.detail.value;
  }

  /** Whether a new note belongs in the list as filtered now. */
  noteMatchesFilters(note) {
    return (
      !this.starredOnly &&
      (this.selectedTypes.length === 0 || this.selectedTypes.includes(NOTE)) &&
      (this.visibility === ALL || this.visibility === note.visibility)
    );
  }

  async handleAddNote() {
    if (this.addNoteDisabled) {
      return;
    }
    this.savingNote = true;
    this.noteError = undefined;
    try {
      const note = await addNote({
        recordId: this.recordId,
        summary: this.noteText.trim(),
        visibility: this.noteVisibility,
        clientKey: this.noteKey
      });
      this.showNewNote(note);
      this.noteText = '';
      this.noteKey = newClientKey();
      this.announcement = `Note added: ${note.summary}`;
    } catch (error) {
      // The key stays: trying again cannot write the note twice.
      this.noteError = error;
      this.announcement = `The note was not added. ${reduceErrors(error).join(' ')}`;
    } finally {
      this.savingNote = false;
    }
  }

  showNewNote(note) {
    if (this.events.some((event) => event.id === note.id)) {
      return;
    }
    if (this.noteMatchesFilters(note)) {
      if (this.order === NEWEST) {
        this.events = [note, ...this.events];
      } else if (!this.nextCursor) {
        this.events = [...this.events, note];
      }
      this.total += 1;
    }
    // The type chips count with the visibility filter only (as the controller does).
    if (
      !this.starredOnly &&
      (this.visibility === ALL || this.visibility === note.visibility)
    ) {
      this.counts = this.counts.map((count) => {
        return count.type === NOTE
          ? { ...count, count: count.count + 1 }
          : count;
      });
    }
    this.now = Date.now();
  }

  async handleStar(event) {
    const { id } = event.detail;
    const target = this.events.find((candidate) => candidate.id === id);
    if (!target || this.starring.has(id) || !this.canStar) {
      return;
    }
    const starred = !target.starred;
    this.setStarredLocally(id, starred);
    this.starring = new Set([...this.starring, id]);
    try {
      await setStarred({ eventId: id, starred });
      this.announcement = starred
        ? `Starred: ${target.summary}`
        : `Unstarred: ${target.summary}`;
    } catch (error) {
      // Optimistic: the star showed at once; the save failed, so it is taken back.
      this.setStarredLocally(id, !starred);
      const message = reduceErrors(error).join(' ');
      this.announcement = `The star was not saved. ${message}`;
      this.dispatchEvent(
        new ShowToastEvent({
          title: starred ? 'Event not starred' : 'Event not unstarred',
          message,
          variant: 'error'
        })
      );
    } finally {
      const pending = new Set(this.starring);
      pending.delete(id);
      this.starring = pending;
    }
  }

  setStarredLocally(id, starred) {
    this.events = this.events.map((event) => {
      return event.id === id ? { ...event, starred } : event;
    });
  }

  async handleMarkMitigated() {
    if (this.markingMitigated) {
      return;
    }
    this.markingMitigated = true;
    try {
      await updateRecord({
        fields: {
          Id: this.recordId,
          [MITIGATED_AT_FIELD.fieldApiName]: new Date().toISOString()
        }
      });
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Incident marked mitigated',
          message: 'The mitigated milestone is recorded on the timeline.',
          variant: 'success'
        })
      );
      await this.load();
    } catch (error) {
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Not marked mitigated',
          message: reduceErrors(error).join(' '),
          variant: 'error'
        })
      );
    } finally {
      this.markingMitigated = false;
    }
  }
}
