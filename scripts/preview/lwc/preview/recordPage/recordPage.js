/* global document, window -- browser code: the linter's globals for scripts/ are Node's */
import { LightningElement } from 'lwc';
import { currentRoute } from 'preview/router';
import { loadRecord } from 'preview/api';
import { RECORD_UPDATED_EVENT } from '../../../platform/uiRecordApi.js';

const ICONS = {
  Incident: 'standard:incident',
  Problem: 'standard:problem',
  ChangeRequest: 'standard:change_request'
};

function display(field) {
  if (field.value === null || field.value === '') {
    return '—';
  }
  if (field.type === 'datetime') {
    return new Date(field.value).toLocaleString(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short'
    });
  }
  return String(field.value);
}

function withText(fields) {
  return fields.map((field) => ({
    ...field,
    text: display(field),
    labelKey: `${field.name}-label`,
    valueKey: `${field.name}-value`
  }));
}

/**
 * A record page laid out as Incident_Record_Page.flexipage-meta.xml lays it out
 * (flexipage:recordHomeTemplateDesktop): the header's highlights panel; the main region's
 * tabset with the Incident Console tab (c-incident-console, active) and the Details tab; the
 * sidebar's related lists. The frame and the console render at once; the highlights, details and
 * related lists fill in when the record arrives.
 */
export default class RecordPage extends LightningElement {
  route = currentRoute();
  record;
  error;

  get recordId() {
    return this.route.recordId;
  }

  // From the route, as the platform gives it to a record page's components: the console starts
  // its own loads at once, in parallel with the page's record, not after it.
  get objectApiName() {
    return this.route.objectApiName;
  }

  connectedCallback() {
    this.load();
    // updateRecord saved this record: reload the highlights, as LDS refreshes the page's views.
    this.onRecordUpdated = (event) => {
      if (event.detail?.id === this.recordId) this.load();
    };
    window.addEventListener(RECORD_UPDATED_EVENT, this.onRecordUpdated);
  }

  disconnectedCallback() {
    window.removeEventListener(RECORD_UPDATED_EVENT, this.onRecordUpdated);
  }

  renderedCallback() {
    // Keyboard and screen reader users land on the new page's heading, not at the top.
    if (this.record && !this.focused) {
      this.focused = true;
      this.template.querySelector('h1')?.focus();
    }
  }

  load() {
    loadRecord(this.recordId).then(
      (record) => {
        this.record = record;
        this.error = undefined;
        document.title = `${record.title} · ${record.objectLabel} · Incident Console preview`;
      },
      (error) => {
        this.error = error.message;
      }
    );
  }

  get isLoading() {
    return !this.record && !this.error;
  }

  get iconName() {
    return ICONS[this.record?.objectApiName] ?? 'standard:record';
  }

  get highlights() {
    return withText(this.record?.highlights ?? []);
  }

  get details() {
    return withText(this.record?.details ?? []);
  }

  get relatedLists() {
    return (this.record?.related ?? []).map((list) => ({
      ...list,
      heading: `${list.title} (${list.items.length})`,
      hasItems: list.items.length > 0
    }));
  }
}
