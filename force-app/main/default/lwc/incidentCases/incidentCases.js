import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getLinkedCases from '@salesforce/apex/IncidentConsoleController.getLinkedCases';

/** Cases per page: large incidents have hundreds of linked cases. */
export const PAGE_SIZE = 25;

/**
 * Cases linked to the incident (CaseRelatedIssue), with how many customers are affected,
 * paged on the server so large incidents stay fast.
 */
export default class IncidentCases extends NavigationMixin(LightningElement) {
  @api recordId;

  pageNumber = 1;
  page;
  error;

  @wire(getLinkedCases, {
    recordId: '$recordId',
    pageSize: PAGE_SIZE,
    pageNumber: '$pageNumber'
  })
  wiredCases({ data, error }) {
    if (data) {
      this.page = data;
      this.error = undefined;
    } else if (error) {
      this.page = undefined;
      this.error = error;
    }
  }

  get isLoading() {
    return !this.page && !this.error;
  }

  get totalPages() {
    const total = this.page?.total ?? 0;
    return Math.max(1, Math.ceil(total / PAGE_SIZE));
  }

  get currentPage() {
    return this.page?.pageNumber ?? this.pageNumber;
  }

  get pageText() {
    return `Page ${this.currentPage} of ${this.totalPages}`;
  }

  get isFirstPage() {
    return this.currentPage <= 1;
  }

  get isLastPage() {
    return this.currentPage >= this.totalPages;
  }

  get hasCases() {
    return (this.page?.cases ?? []).length > 0;
  }

  get cases() {
    return (this.page?.cases ?? []).map((linkedCase) => ({
      ...linkedCase,
      url: `/lightning/r/Case/${linkedCase.id}/view`,
      statusText: linkedCase.isClosed
        ? `${linkedCase.status} (closed)`
        : linkedCase.status
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

  handlePrevious() {
    if (!this.isFirstPage) {
      this.pageNumber = this.currentPage - 1;
    }
  }

  handleNext() {
    if (!this.isLastPage) {
      this.pageNumber = this.currentPage + 1;
    }
  }

  handleCaseClick(event) {
    // Keep the href for open-in-new-tab; a plain click navigates inside the console.
    event.preventDefault();
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: {
        recordId: event.currentTarget.dataset.id,
        objectApiName: 'Case',
        actionName: 'view'
      }
    });
  }
}
