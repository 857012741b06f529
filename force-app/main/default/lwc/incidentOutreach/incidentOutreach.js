import { LightningElement, api, wire } from 'lwc';
import getOutreach from '@salesforce/apex/IncidentResponseController.getOutreach';
import updateOutreach from '@salesforce/apex/IncidentResponseController.updateOutreach';
import { RespondSection } from 'c/respondSection';

/** Incident_Outreach__c.Status__c, in the order an outreach moves through them. */
export const STATUS_OPTIONS = [
  { label: 'Open', value: 'Open' },
  { label: 'Contacted', value: 'Contacted' },
  { label: 'Done', value: 'Done' }
];

const STATUS_BADGES = {
  Open: 'slds-badge',
  Contacted: 'slds-badge slds-badge_lightest',
  Done: 'slds-badge slds-theme_success'
};

/**
 * Executive outreach: the key accounts affected by a severity 1-2 incident, each with an
 * outreach record (created once by the automation) owned by the account's service level
 * manager. Lists owner, status, due time and the customer's special requests; users who may
 * edit change the status inline and record special requests.
 */
export default class IncidentOutreach extends RespondSection(LightningElement) {
  @api recordId;
  /** Only incidents get outreach; on problems and change requests nothing renders. */
  @api objectApiName;

  /** A new console data value after the first (a save, a refresh) may have added outreach. */
  @api
  get consoleData() {
    return this.consoleDataValue;
  }
  set consoleData(value) {
    this.followConsole(value);
  }

  consoleDataValue;
  /** getOutreach's answer: { canEdit, items }. */
  sectionData;
  error;
  reloading = false;
  wiredResult;
  /** Why the last save failed; the list stays as it was. */
  saveError;
  /** Ids of the rows being saved. */
  savingIds = [];
  /** The row whose special requests are being edited, and the draft text. */
  editingId;
  draftRequests = '';

  @wire(getOutreach, { recordId: '$incidentId' })
  wiredOutreach(result) {
    this.receive(result);
  }

  @api
  refresh() {
    return this.reload(getOutreach);
  }

  get outreach() {
    return this.sectionData;
  }

  get items() {
    return this.outreach?.items ?? [];
  }

  get hasItems() {
    return this.items.length > 0;
  }

  get canEdit() {
    return this.outreach?.canEdit === true;
  }

  get title() {
    return this.outreach
      ? `Executive outreach (${this.items.length})`
      : 'Executive outreach';
  }

  get statusOptions() {
    return STATUS_OPTIONS;
  }

  get rows() {
    const now = Date.now();
    return this.items.map((item) => {
      const overdue =
        item.status !== 'Done' && !!item.dueAt && Date.parse(item.dueAt) < now;
      const editing = this.editingId === item.id;
      return {
        ...item,
        statusLabel: `Status of the outreach to ${item.accountName}`,
        requestsLabel: `Special requests of ${item.accountName}`,
        editLabel: `Edit the special requests of ${item.accountName}`,
        badgeClass: STATUS_BADGES[item.status] ?? 'slds-badge',
        overdue,
        saving: this.savingIds.includes(item.id),
        editing,
        requestsText: item.specialRequests || 'None recorded'
      };
    });
  }

  async save(id, changes) {
    const item = this.items.find((entry) => entry.id === id);
    if (!item) {
      return;
    }
    this.savingIds = [...this.savingIds, id];
    this.saveError = undefined;
    try {
      const saved = await updateOutreach({
        id,
        status: changes.status ?? item.status,
        specialRequests:
          changes.specialRequests !== undefined
            ? changes.specialRequests
            : item.specialRequests
      });
      this.sectionData = {
        ...this.sectionData,
        items: this.items.map((entry) => (entry.id === id ? saved : entry))
      };
      this.editingId = undefined;
    } catch (error) {
      this.saveError = error;
      // The combobox shows what the user chose, and a re-render leaves it (its value
      // property did not change): put it back to what is stored.
      const select = this.template.querySelector(
        `lightning-combobox[data-id="${id}"]`
      );
      if (select) {
        select.value = item.status;
      }
    } finally {
      this.savingIds = this.savingIds.filter((savingId) => savingId !== id);
    }
  }

  handleStatusChange(event) {
    const id = event.target.dataset.id;
    return this.save(id, { status: event.detail.value });
  }

  handleEditRequests(event) {
    const id = event.target.dataset.id;
    this.editingId = id;
    this.draftRequests =
      this.items.find((entry) => entry.id === id)?.specialRequests ?? '';
  }

  handleRequestsInput(event) {
    this.draftRequests = event.detail.value;
  }

  handleSaveRequests(event) {
    return this.save(event.target.dataset.id, {
      specialRequests: this.draftRequests
    });
  }

  handleCancelRequests() {
    this.editingId = undefined;
  }

  handleRetry() {
    return this.refresh();
  }
}
