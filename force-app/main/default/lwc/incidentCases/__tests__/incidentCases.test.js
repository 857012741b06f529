import { createElement } from '@lwc/engine-dom';
import IncidentCases from 'c/incidentCases';
import getLinkedCases from '@salesforce/apex/IncidentConsoleController.getLinkedCases';
import { navigateMock } from 'lightning/navigation';

const page1 = require('./data/getLinkedCasesPage1.json');
const page2 = require('./data/getLinkedCasesPage2.json');
const page3 = require('./data/getLinkedCasesPage3.json');
const empty = require('./data/getLinkedCasesEmpty.json');

jest.mock(
  '@salesforce/apex/IncidentConsoleController.getLinkedCases',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

const RECORD_ID = '0ny000000000001AAA';

function mount() {
  const element = createElement('c-incident-cases', { is: IncidentCases });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  return element;
}

async function flushPromises() {
  await Promise.resolve();
  await Promise.resolve();
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

describe('c-incident-cases', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('asks for the first page of 25 and shows a spinner meanwhile', async () => {
    const element = mount();
    await flushPromises();

    expect(getLinkedCases.getLastConfig()).toEqual({
      recordId: RECORD_ID,
      pageSize: 25,
      pageNumber: 1
    });
    expect($(element, 'lightning-spinner')).not.toBeNull();
  });

  it('shows the counts and the cases of the page', async () => {
    const element = mount();
    getLinkedCases.emit(page1);
    await flushPromises();

    const count = (key) =>
      $(element, `[data-count="${key}"] .count-value`).textContent;
    expect(count('total')).toBe('60');
    expect(count('accounts')).toBe('12');
    expect(count('open')).toBe('45');
    expect(count('closed')).toBe('15');

    const rows = element.shadowRoot.querySelectorAll('.case-row');
    expect(rows).toHaveLength(25);
    const link = rows[0].querySelector('a.case-link');
    expect(link.textContent).toBe('00001001');
    expect(link.getAttribute('href')).toBe(
      '/lightning/r/Case/500000000000001AAA/view'
    );
    expect(rows[3].textContent).toContain('Closed (closed)');
  });

  it('pages forward and back, disabling the buttons at the ends', async () => {
    const element = mount();
    getLinkedCases.emit(page1);
    await flushPromises();

    expect($(element, '.page-text').textContent).toBe('Page 1 of 3');
    expect($(element, '.previous-page').disabled).toBe(true);
    expect($(element, '.next-page').disabled).toBe(false);

    $(element, '.next-page').click();
    await flushPromises();
    expect(getLinkedCases.getLastConfig()).toEqual({
      recordId: RECORD_ID,
      pageSize: 25,
      pageNumber: 2
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
    expect(element.shadowRoot.querySelectorAll('.case-row')).toHaveLength(10);

    $(element, '.previous-page').click();
    await flushPromises();
    expect(getLinkedCases.getLastConfig().pageNumber).toBe(2);
  });

  it('opens a case through navigation instead of a full page load', async () => {
    const element = mount();
    getLinkedCases.emit(page1);
    await flushPromises();

    $(element, 'a.case-link').click();

    expect(navigateMock).toHaveBeenCalledWith(
      {
        type: 'standard__recordPage',
        attributes: {
          recordId: '500000000000001AAA',
          objectApiName: 'Case',
          actionName: 'view'
        }
      },
      undefined
    );
  });

  it('says when no cases are linked', async () => {
    const element = mount();
    getLinkedCases.emit(empty);
    await flushPromises();

    expect($(element, '.no-cases').textContent).toBe(
      'No cases are linked to this record yet.'
    );
    expect($(element, 'table')).toBeNull();
    expect($(element, '[data-count="total"] .count-value').textContent).toBe(
      '0'
    );
  });

  it('shows the error panel when the cases cannot be loaded', async () => {
    const element = mount();
    getLinkedCases.error({ message: 'Insufficient access to Case' });
    await flushPromises();

    expect($(element, 'c-error-panel').friendlyMessage).toBe(
      'The linked cases could not be loaded.'
    );
    expect($(element, 'lightning-spinner')).toBeNull();
  });

  describe('accessibility', () => {
    // sfdx-lwc-jest's lightning-* stubs render no markup, so axe cannot see the names of
    // lightning-button or lightning-spinner: those are asserted directly.

    it('is accessible while loading', async () => {
      const element = mount();
      await flushPromises();

      expect($(element, 'lightning-spinner').alternativeText).toBe(
        'Loading linked cases'
      );
      await expect(element).toBeAccessible();
    });

    it.each([
      ['first', page1, 'Page 1 of 3'],
      ['middle', page2, 'Page 2 of 3'],
      ['last', page3, 'Page 3 of 3']
    ])('is accessible on the %s page', async (_position, page, pageText) => {
      const element = mount();
      getLinkedCases.emit(page);
      await flushPromises();

      expect($(element, 'caption').textContent).toContain(pageText);
      expect($(element, 'nav').getAttribute('aria-label')).toBe(
        'Linked case pages'
      );
      expect($(element, '.previous-page').label).toBe('Previous');
      expect($(element, '.next-page').label).toBe('Next');
      await expect(element).toBeAccessible();
    });

    it('is accessible without linked cases', async () => {
      const element = mount();
      getLinkedCases.emit(empty);
      await flushPromises();

      expect($(element, '.no-cases')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible with the error panel', async () => {
      const element = mount();
      getLinkedCases.error({ message: 'Insufficient access to Case' });
      await flushPromises();

      expect($(element, 'c-error-panel')).not.toBeNull();
      await expect(element).toBeAccessible();
    });
  });
});
