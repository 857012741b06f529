/* global document -- browser code: the linter's globals for scripts/ are Node's */
import { LightningElement } from 'lwc';
import { loadIncidents } from 'preview/api';

const SLA_LABELS = {
  breached: 'Breached',
  missed: 'Missed',
  warning: 'Warning',
  'on-track': 'On track',
  met: 'Met'
};
/** Worst first, so sorting by SLA state puts the incidents that need attention on top. */
const SLA_RANK = { breached: 0, missed: 1, warning: 2, 'on-track': 3, met: 4 };

const COLUMNS = [
  { field: 'number', label: 'Number' },
  { field: 'subject', label: 'Subject' },
  { field: 'severity', label: 'Severity' },
  { field: 'status', label: 'Status' },
  { field: 'slaState', label: 'SLA state' },
  { field: 'linkedCases', label: 'Linked cases' }
];

function sortValue(row, field) {
  if (field === 'slaState') {
    return row.slaState ? SLA_RANK[row.slaState] : 99;
  }
  return row[field] ?? '';
}

/**
 * Every incident in the org with its severity, SLA state and linked case count, sortable by any
 * column; below it the problems and change requests, each opening its record page.
 */
export default class IncidentList extends LightningElement {
  data;
  error;
  sortField = 'severity';
  sortAscending = true;

  connectedCallback() {
    document.title = 'Incidents · Incident Console preview';
    loadIncidents().then(
      (data) => {
        this.data = data;
      },
      (error) => {
        this.error = error.message;
      }
    );
  }

  get isLoading() {
    return !this.data && !this.error;
  }

  get columns() {
    return COLUMNS.map((column) => {
      const sorted = column.field === this.sortField;
      const direction = this.sortAscending ? 'ascending' : 'descending';
      return {
        ...column,
        ariaSort: sorted ? direction : 'none',
        buttonLabel: `Sort by ${column.label}${sorted ? ` (sorted ${direction})` : ''}`,
        arrow: sorted ? (this.sortAscending ? '▲' : '▼') : ''
      };
    });
  }

  get rows() {
    const field = this.sortField;
    const factor = this.sortAscending ? 1 : -1;
    return [...(this.data?.incidents ?? [])]
      .sort((a, b) => {
        const x = sortValue(a, field);
        const y = sortValue(b, field);
        const order =
          typeof x === 'number' && typeof y === 'number'
            ? x - y
            : String(x).localeCompare(String(y));
        return order * factor || a.number.localeCompare(b.number);
      })
      .map((row) => ({
        ...row,
        href: `#/r/Incident/${row.id}`,
        severityText: row.severity ? String(row.severity) : '—',
        slaText: row.slaState ? SLA_LABELS[row.slaState] : 'No SLA',
        slaClass: `slds-badge sla-${row.slaState ?? 'none'}`
      }));
  }

  get hasIncidents() {
    return (this.data?.incidents ?? []).length > 0;
  }

  get problems() {
    return (this.data?.problems ?? []).map((row) => ({
      ...row,
      href: `#/r/Problem/${row.id}`
    }));
  }

  get changeRequests() {
    return (this.data?.changeRequests ?? []).map((row) => ({
      ...row,
      href: `#/r/ChangeRequest/${row.id}`
    }));
  }

  handleSort(event) {
    const { field } = event.currentTarget.dataset;
    if (field === this.sortField) {
      this.sortAscending = !this.sortAscending;
    } else {
      this.sortField = field;
      this.sortAscending = true;
    }
  }
}
