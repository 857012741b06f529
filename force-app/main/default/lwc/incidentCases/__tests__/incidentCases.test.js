import IncidentCases, { COLUMNS } from 'c/incidentCases';
import getLinkedCases from '@salesforce/apex/IncidentConsoleController.getLinkedCases';
import { refreshApex } from '@salesforce/apex';
import { navigateMock } from 'lightning/navigation';
import {
  $,
  RECORD_ID,
  cleanUp,
  flushPromises,
  mountOnIncident,
  provide,
  rendered,
  statusPart
} from 'test-utils';

const page1 = require('./data/getLinkedCasesPage1.json');
const page2 = require('./data/getLinkedCasesPage2.json');
const page3 = require('./data/getLinkedCasesPage3.json');
const empty = require('./data/getLinkedCasesEmpty.json');

jest.mock(
  '@salesforce/apex/IncidentConsoleController.getLinkedCases',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);

const mount = (props) =>
  mountOnIncident('c-incident-cases', IncidentCases, props);
const mountWith = (page, props) => provide(getLinkedCases, page, mount(props));
const table = (element) => $(element, 'c-linked-cases-datatable');

describe('c-incident-cases', () => {
  afterEach(cleanUp);

  it('asks for the first page of 25 and shows a spinner meanwhile', async () => {
    const element = mount();
    await flushPromises();

    // null, not undefined: an undefined parameter would hold the wire back.
    expect(getLinkedCases.getLastConfig()).toEqual({
      recordId: RECORD_ID,
      pageSize: 25,
      pageNumber: 1,
      sortBy: null,
      sortDirection: null
    });
    expect(statusPart(element.shadowRoot, 'lightning-spinner')).not.toBeNull();
    expect($(element, 'lightning-card').title).toBe('Linked cases');
  });

  it('shows the counts, the total in the title and the cases of the page in a datatable', async () => {
    const element = await mountWith(page1);

    expect($(element, 'lightning-card').title).toBe('Linked cases (60)');
    const count = (key) =>
      $(element, `[data-count="${key}"] .count-value`).textContent;
    expect(count('total')).toBe('60');
    expect(count('accounts')).toBe('12');
    expect(count('open')).toBe('45');
    expect(count('closed')).toBe('15');

    const rows = table(element).data;
    expect(rows).toHaveLength(25);
    expect(table(element).keyField).toBe('id');
    expect(table(element).hideCheckboxColumn).toBe(true);
    expect(rows[0]).toMatchObject({
      id: '500000000000001AAA',
      caseNumber: '00001001',
      url: '/lightning/r/Case/500000000000001AAA/view'
    });
  });

  it('shows the status as a badge, closed cases apart, without "(closed)"', async () => {
    const element = await mountWith(page1);

    const status = COLUMNS.find((column) => column.label === 'Status');
    expect(status).toMatchObject({
      fieldName: 'status',
      type: 'statusBadge',
      typeAttributes: { badgeClass: { fieldName: 'statusBadgeClass' } }
    });
    const rows = table(element).data;
    expect(rows[3]).toMatchObject({
      status: 'Closed',
      statusBadgeClass: 'slds-badge slds-badge_inverse'
    });
    expect(rows[0]).toMatchObject({
      status: 'Working',
      statusBadgeClass: 'slds-badge'
    });
    expect(rows.some((row) => /\(closed\)/.test(row.status))).toBe(false);
  });

  it('wraps long text inside the table instead of widening the page', () => {
    const wrapped = COLUMNS.filter((column) => column.wrapText).map(
      (column) => column.label
    );
    expect(wrapped).toEqual(['Subject', 'Account', 'Contact']);
  });

  it('asks the controller to sort across all pages, the case column by case number, from page 1', async () => {
    const element = await mountWith(page1);
    $(element, '.next-page').click();
    await flushPromises();
    getLinkedCases.emit(page2);
    await flushPromises();

    table(element).dispatchEvent(
      new CustomEvent('sort', {
        detail: { fieldName: 'url', sortDirection: 'desc' }
      })
    );
    await flushPromises();

    expect(getLinkedCases.getLastConfig()).toEqual({
      recordId: RECORD_ID,
      pageSize: 25,
      pageNumber: 1,
      sortBy: 'caseNumber',
      sortDirection: 'desc'
    });
    expect(table(element).sortedBy).toBe('url');
    expect(table(element).sortedDirection).toBe('desc');
    // The old rows stay under the table's loading indicator until the sorted page arrives.
    expect(table(element).isLoading).toBe(true);
    expect($(element, '.page-text').textContent).toBe('Loading page 1 of 3…');

    const sortedByServer = {
      ...page1,
      cases: [...page3.cases, ...page2.cases.slice(0, 15)]
    };
    getLinkedCases.emit(sortedByServer);
    await flushPromises();
    // Shown in the controller's order: the page is not sorted again in the browser.
    expect(table(element).data.map((row) => row.id)).toEqual(
      sortedByServer.cases.map((row) => row.id)
    );
    expect(table(element).isLoading).toBe(false);
    expect($(element, '.sort-note')).toBeNull();

    $(element, '.next-page').click();
    await flushPromises();
    expect(getLinkedCases.getLastConfig()).toMatchObject({
      pageNumber: 2,
      sortBy: 'caseNumber',
      sortDirection: 'desc'
    });
  });

  it('offers sorting on exactly the columns the controller can sort by', () => {
    const sortKeys = COLUMNS.filter((column) => column.sortable).map(
      (column) => (column.fieldName === 'url' ? 'caseNumber' : column.fieldName)
    );
    // IncidentConsoleController.getLinkedCases' whitelist (LinkedCaseSelector.SORT_FIELDS).
    expect(sortKeys.sort()).toEqual([
      'accountName',
      'caseNumber',
      'createdDate',
      'priority',
      'status',
      'subject'
    ]);
  });

  it('pages forward and back, disabling the buttons at the ends', async () => {
    const element = await mountWith(page1);

    expect($(element, '.page-text').textContent).toBe('Page 1 of 3');
    expect($(element, '.previous-page').disabled).toBe(true);
    expect($(element, '.next-page').disabled).toBe(false);

    $(element, '.next-page').click();
    await flushPromises();
    expect(getLinkedCases.getLastConfig()).toEqual({
      recordId: RECORD_ID,
      pageSize: 25,
      pageNumber: 2,
      sortBy: null,
      sortDirection: null
    });
    getLinkedCases.emit(page2);
    await flushPromises();
    expect($(element, '.page-text').textContent).toBe('Page 2 of 3');
    expect($(element, '.previous-page').disabled).toBe(false);

    $(element, '.next-page').click();
    await flushPromises();
    getLinkedCases.emit(page3);
    await flushPromises();
    expect($(element, '.page-text').textContent).toBe('Page 3 of 3');
    expect($(element, '.next-page').disabled).toBe(true);
    expect(table(element).data).toHaveLength(10);

    $(element, '.previous-page').click();
    await flushPromises();
    expect(getLinkedCases.getLastConfig().pageNumber).toBe(2);
  });

  it('says which page is loading and disables paging until it arrives', async () => {
    const element = await mountWith(page1);

    $(element, '.next-page').click();
    await flushPromises();

    expect($(element, '.page-text').textContent).toBe('Loading page 2 of 3…');
    expect(table(element).isLoading).toBe(true);
    expect($(element, '.next-page').disabled).toBe(true);
    expect($(element, '.previous-page').disabled).toBe(true);
    // A second click while loading asks for nothing more.
    $(element, '.next-page').click();
    await flushPromises();
    expect(getLinkedCases.getLastConfig().pageNumber).toBe(2);

    getLinkedCases.emit(page2);
    await flushPromises();
    expect(table(element).isLoading).toBe(false);
    expect($(element, '.page-text').textContent).toBe('Page 2 of 3');
  });

  it('opens the standard related list from "View All" on incidents and problems', async () => {
    const element = await mountWith(page1, { objectApiName: 'Problem' });

    $(element, 'lightning-button.view-all').click();

    expect(navigateMock).toHaveBeenCalledWith(
      {
        type: 'standard__recordRelationshipPage',
        attributes: {
          recordId: RECORD_ID,
          objectApiName: 'Problem',
          relationshipApiName: 'CaseRelatedIssues',
          actionName: 'view'
        }
      },
      undefined
    );
  });

  it('offers no "View All" on change requests, which have no such related list', async () => {
    const element = await mountWith(page1, {
      objectApiName: 'ChangeRequest'
    });
    expect($(element, '.view-all')).toBeNull();
  });

  it('says when no cases are linked, without a row of zero counters', async () => {
    const element = await mountWith(empty);

    expect($(element, '.no-cases').textContent.trim()).toBe(
      'No cases are linked to this record yet.'
    );
    expect(table(element)).toBeNull();
    expect($(element, '.case-counts')).toBeNull();
    expect($(element, '.view-all')).toBeNull();
  });

  it('shows the error panel when the cases cannot be loaded', async () => {
    const element = mount();
    getLinkedCases.error({ message: 'Insufficient access to Case' });
    await flushPromises();

    const panel = statusPart(element.shadowRoot, 'c-error-panel');
    expect(panel.friendlyMessage).toBe('The linked cases could not be loaded.');
    expect(panel.retryable).toBe(true);
    expect(statusPart(element.shadowRoot, 'lightning-spinner')).toBeNull();
  });

  it('tries the page again after an error by calling the controller itself', async () => {
    getLinkedCases.mockResolvedValue(page2);
    const element = await mountWith(page1);
    $(element, '.next-page').click();
    await flushPromises();
    getLinkedCases.error({ message: 'Timed out' });
    await flushPromises();

    statusPart(element.shadowRoot, 'c-error-panel').dispatchEvent(
      new CustomEvent('retry')
    );
    await rendered();
    expect(statusPart(element.shadowRoot, 'lightning-spinner')).not.toBeNull();
    await flushPromises();

    expect(getLinkedCases).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      pageSize: 25,
      pageNumber: 2,
      sortBy: null,
      sortDirection: null
    });
    expect(statusPart(element.shadowRoot, 'c-error-panel')).toBeNull();
    expect($(element, '.page-text').textContent).toBe('Page 2 of 3');
  });

  it('refreshes the wired page in place when it shows one', async () => {
    const element = await mountWith(page1);

    await element.refresh();

    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(getLinkedCases).not.toHaveBeenCalled();
  });

  describe('accessibility', () => {
    // sfdx-lwc-jest's lightning-* stubs render no markup, so axe cannot see the names of
    // lightning-button, lightning-spinner or the datatable: those are asserted directly, and
    // the preview's browser test checks them rendered.

    it('is accessible while loading', async () => {
      const element = mount();
      await flushPromises();

      expect(
        statusPart(element.shadowRoot, 'lightning-spinner').alternativeText
      ).toBe('Loading linked cases');
      await expect(element).toBeAccessible();
    });

    it.each([
      ['first', page1, 'Page 1 of 3'],
      ['middle', page2, 'Page 2 of 3'],
      ['last', page3, 'Page 3 of 3']
    ])('is accessible on the %s page', async (_position, page, pageText) => {
      const element = await mountWith(page);

      expect($(element, '.page-text').textContent).toBe(pageText);
      expect($(element, 'nav').getAttribute('aria-label')).toBe(
        'Linked case pages'
      );
      expect($(element, '.previous-page').label).toBe('Previous');
      expect($(element, '.next-page').label).toBe('Next');
      expect($(element, '.view-all').label).toBe('View All');
      await expect(element).toBeAccessible();
    });

    it('is accessible while a sorted page loads', async () => {
      const element = await mountWith(page1);
      table(element).dispatchEvent(
        new CustomEvent('sort', {
          detail: { fieldName: 'subject', sortDirection: 'asc' }
        })
      );
      await flushPromises();

      expect(table(element).isLoading).toBe(true);
      expect($(element, '.page-text').textContent).toContain('Loading');
      await expect(element).toBeAccessible();
    });

    it('is accessible without linked cases', async () => {
      const element = await mountWith(empty);

      expect($(element, '.no-cases')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible with the error panel', async () => {
      const element = mount();
      getLinkedCases.error({ message: 'Insufficient access to Case' });
      await flushPromises();

      expect(statusPart(element.shadowRoot, 'c-error-panel')).not.toBeNull();
      await expect(element).toBeAccessible();
    });
  });
});
