import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getLinkedCases from '@salesforce/apex/IncidentConsoleController.getLinkedCases';
import { reloadApex } from 'c/ldsUtils';

/** Cases per page: large incidents have hundreds of linked cases. */
export const PAGE_SIZE = 25;

/** Objects whose linked cases have a standard related list (CaseRelatedIssue.RelatedIssueId). */
const RELATED_LIST_OBJECTS = new Set(['Incident', 'Problem']);
const RELATED_LIST = 'CaseRelatedIssues';

const STATUS_BADGE_OPEN = 'slds-badge';
const STATUS_BADGE_CLOSED = 'slds-badge slds-badge_inverse';

/**
 * Columns of the linked-cases table. Every column but the subject has a width, so the subject
 * takes the room that is left (on a wide page) and wraps. The sortable columns are those the
 * controller can sort by (getLinkedCases' whitelist); SORT_KEYS names what a column sorts by
 * when it differs from what it shows (the case link sorts by case number, not by URL).
 */
export const COLUMNS = [
  {
    label: 'Case',
    fieldName: 'url',
    type: 'url',
    sortable: true,
    initialWidth: 95,
    typeAttributes: { label: { fieldName: 'caseNumber' }, target: '_self' }
  },
  {
    label: 'Subject',
    fieldName: 'subject',
    type: 'text',
    sortable: true,
    wrapText: true
  },
  {
    label: 'Account',
    fieldName: 'accountName',
    type: 'text',
    sortable: true,
    initialWidth: 150,
    wrapText: true
  },
  {
    label: 'Contact',
    fieldName: 'contactName',
    type: 'text',
    sortable: false,
    initialWidth: 130,
    wrapText: true
  },
  {
    label: 'Status',
    fieldName: 'status',
    type: 'statusBadge',
    sortable: true,
    initialWidth: 100,
    typeAttributes: { badgeClass: { fieldName: 'statusBadgeClass' } }
  },
  {
    label: 'Priority',
    fieldName: 'priority',
    type: 'text',
    sortable: true,
    initialWidth: 90
  },
  {
    label: 'Opened',
    fieldName: 'createdDate',
    type: 'date',
    sortable: true,
    initialWidth: 160,
    typeAttributes: {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit'
    }
  }
];

const SORT_KEYS = { url: 'caseNumber' };

/**
 * Cases linked to the incident (CaseRelatedIssue), with how many customers are affected,
 * paged and sorted on the server so large incidents stay fast and a sort holds across pages.
 * The table is lightning-datatable: sortable columns, wrapped subjects, status badges.
 */
export default class IncidentCases extends NavigationMixin(LightningElement) {
  @api recordId;
  /** Incident, Problem or ChangeRequest; decides whether there is a related list to view. */
  @api objectApiName;

  pageNumber = 1;
  page;
  error;
  /** True from asking for another page (or a reload after an error) until it arrives. */
  pageLoading = false;
  /** The datatable's sorted column (its fieldName) and direction, as it shows them. */
  sortedBy;
  sortDirection = 'asc';
  /**
   * What the controller sorts by: null (not undefined, which would hold the wire back) until
   * a column is sorted, for the controller's default, newest first.
   */
  sortBy = null;
  sortOrder = null;
  wiredCasesResult;

  @wire(getLinkedCases, {
    recordId: '$recordId',
    pageSize: PAGE_SIZE,
    pageNumber: '$pageNumber',
    sortBy: '$sortBy',
    sortDirection: '$sortOrder'
  })
  wiredCases(result) {
    this.wiredCasesResult = result;
    const { data, error } = result;
    if (data) {
      this.showPage(data);
    } else if (error) {
      this.showError(error);
    }
  }

  showPage(data) {
    this.page = data;
    this.error = undefined;
    this.pageLoading = false;
  }

  showError(error) {
    this.page = undefined;
    this.error = error;
    this.pageLoading = false;
  }

  /** Loads the page shown again (the console's refresh, or "Try again" after an error). */
  @api
  async refresh() {
    this.pageLoading = !!this.error;
    try {
      const data = await reloadApex(this.wiredCasesResult, getLinkedCases, {
        recordId: this.recordId,
        pageSize: PAGE_SIZE,
        pageNumber: this.pageNumber,
        sortBy: this.sortBy,
        sortDirection: this.sortOrder
      });
      if (data) {
        this.showPage(data);
      }
    } catch (error) {
      this.showError(error);
    } finally {
      this.pageLoading = false;
    }
  }

  /** The first load, or a reload after an error: nothing to show yet. */
  get isLoading() {
    return !this.page && (this.pageLoading || !this.error);
  }

  get showStatus() {
    return this.isLoading || !!this.error;
  }

  get title() {
    return this.page
      ? `Linked cases (${this.page.total ?? 0})`
      : 'Linked cases';
  }

  get totalPages() {
    const total = this.page?.total ?? 0;
    return Math.max(1, Math.ceil(total / PAGE_SIZE));
  }

  get currentPage() {
    return this.page?.pageNumber ?? this.pageNumber;
  }

  get pageText() {
    return this.pageLoading
      ? `Loading page ${this.pageNumber} of ${this.totalPages}…`
      : `Page ${this.currentPage} of ${this.totalPages}`;
  }

  get isFirstPage() {
    return this.pageLoading || this.currentPage <= 1;
  }

  get isLastPage() {
    return this.pageLoading || this.currentPage >= this.totalPages;
  }

  get hasCases() {
    return (this.page?.cases ?? []).length > 0;
  }

  get hasSeveralPages() {
    return this.totalPages > 1;
  }

  get canViewAll() {
    return this.hasCases && RELATED_LIST_OBJECTS.has(this.objectApiName);
  }

  get columns() {
    return COLUMNS;
  }

  /** The page's cases in the order the controller sent them (it sorts across all pages). */
  get rows() {
    return (this.page?.cases ?? []).map((linkedCase) => ({
      ...linkedCase,
      url: `/lightning/r/Case/${linkedCase.id}/view`,
      statusBadgeClass: linkedCase.isClosed
        ? STATUS_BADGE_CLOSED
        : STATUS_BADGE_OPEN
    }));
  }

  get counts() {
    const page = this.page ?? {};
    return [
      { key: 'total', label: 'Cases', value: page.total ?? 0 },
      {
        key: 'accounts',
        label: 'Affected accounts',
        value: page.affectedAccounts ?? 0
      },
      { key: 'open', label: 'Open', value: page.openCount ?? 0 },
      { key: 'closed', label: 'Closed', value: page.closedCount ?? 0 }
    ];
  }

  /**
   * A new order is asked of the controller and starts again at page 1: page 3 of another order
   * would show unrelated cases. The old rows stay (the table shows its loading indicator)
   * until the sorted page arrives.
   */
  handleSort(event) {
    const { fieldName, sortDirection } = event.detail;
    this.sortedBy = fieldName;
    this.sortDirection = sortDirection;
    this.sortBy = SORT_KEYS[fieldName] ?? fieldName;
    this.sortOrder = sortDirection;
    this.pageLoading = true;
    this.pageNumber = 1;
  }

  handlePrevious() {
    this.goToPage(this.currentPage - 1);
  }

  handleNext() {
    this.goToPage(this.currentPage + 1);
  }

  goToPage(pageNumber) {
    if (this.pageLoading || pageNumber < 1 || pageNumber > this.totalPages) {
      return;
    }
    // The old rows stay (the table shows its loading indicator) until the page arrives.
    this.pageLoading = true;
    this.pageNumber = pageNumber;
  }

  handleRetry() {
    return this.refresh();
  }

  handleViewAll() {
    this[NavigationMixin.Navigate]({
      type: 'standard__recordRelationshipPage',
      attributes: {
        recordId: this.recordId,
        objectApiName: this.objectApiName,
        relationshipApiName: RELATED_LIST,
        actionName: 'view'
      }
    });
  }
}
