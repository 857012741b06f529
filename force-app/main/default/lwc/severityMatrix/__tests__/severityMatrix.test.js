import { createElement } from '@lwc/engine-dom';
import SeverityMatrix from 'c/severityMatrix';
import { updateRecord } from 'lightning/uiRecordApi';

const severityRules = require('./data/severityRules.json');
const updateFailure = require('./data/updateRecordFailure.json');

const RECORD_ID = '0ny000000000001AAA';

function mount(props = {}) {
  const element = createElement('c-severity-matrix', { is: SeverityMatrix });
  Object.assign(element, {
    recordId: RECORD_ID,
    urgency: 'High',
    impact: 'Medium',
    rules: severityRules,
    canEdit: true,
    ...props
  });
  document.body.appendChild(element);
  return element;
}

function cell(element, urgency, impact) {
  return element.shadowRoot.querySelector(
    `td[data-urgency="${urgency}"][data-impact="${impact}"]`
  );
}

function tick(element, group, id, checked = true) {
  const input = element.shadowRoot.querySelector(
    `lightning-input[data-group="${group}"][data-id="${id}"]`
  );
  input.checked = checked;
  input.dispatchEvent(new CustomEvent('change'));
}

async function flushPromises() {
  for (let i = 0; i < 3; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

describe('c-severity-matrix', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('renders urgency rows by impact columns with the severity of every cell', () => {
    const element = mount();

    const columnHeaders = [
      ...element.shadowRoot.querySelectorAll('thead th[scope="col"]')
    ].map((th) => th.textContent.trim());
    expect(columnHeaders).toEqual([
      'Urgency / Impact',
      'High impact',
      'Medium impact',
      'Low impact'
    ]);
    const rowHeaders = [
      ...element.shadowRoot.querySelectorAll('tbody th[scope="row"]')
    ].map((th) => th.textContent.trim());
    expect(rowHeaders).toEqual([
      'High urgency',
      'Medium urgency',
      'Low urgency'
    ]);

    const severities = [...element.shadowRoot.querySelectorAll('tbody tr')].map(
      (row) =>
        [...row.querySelectorAll('.cell-severity')].map(
          (span) => span.textContent
        )
    );
    expect(severities).toEqual([
      ['Severity 1', 'Severity 2', 'Severity 3'],
      ['Severity 2', 'Severity 3', 'Severity 4'],
      ['Severity 3', 'Severity 4', 'Severity 5']
    ]);
    expect(
      cell(element, 'Medium', 'Low')
        .querySelector('.cell-priority')
        .textContent.trim()
    ).toBe('(Low)');
  });

  it('marks the current cell with aria-current and a visible text marker', () => {
    const element = mount();

    const current = element.shadowRoot.querySelectorAll('td[aria-current]');
    expect(current).toHaveLength(1);
    expect(current[0]).toBe(cell(element, 'High', 'Medium'));
    expect(current[0].getAttribute('aria-current')).toBe('true');
    expect(current[0].querySelector('.current-marker').textContent.trim()).toBe(
      'Current'
    );
    expect(element.shadowRoot.querySelectorAll('.current-marker')).toHaveLength(
      1
    );
  });

  it('marks no cell when urgency or impact is not set', () => {
    const element = mount({ urgency: null, impact: 'Low' });
    expect(
      element.shadowRoot.querySelectorAll('td[aria-current]')
    ).toHaveLength(0);
  });

  it('saves urgency and impact when an editor chooses a cell, then toasts and notifies the container', async () => {
    const element = mount();
    const toastHandler = jest.fn();
    const savedHandler = jest.fn();
    element.addEventListener('lightning__showtoast', toastHandler);
    element.addEventListener('assessmentsaved', savedHandler);

    cell(element, 'Low', 'High').querySelector('button').click();
    await flushPromises();

    expect(updateRecord).toHaveBeenCalledTimes(1);
    expect(updateRecord).toHaveBeenCalledWith({
      fields: { Id: RECORD_ID, Urgency: 'Low', Impact: 'High' }
    });
    expect(toastHandler).toHaveBeenCalledTimes(1);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'success',
      message: 'Urgency Low, impact High: severity 3 (Moderate).'
    });
    expect(savedHandler.mock.calls[0][0].detail).toEqual({
      urgency: 'Low',
      impact: 'High',
      severity: 3
    });
  });

  it('does not offer the current cell as an action', () => {
    const element = mount();
    expect(
      cell(element, 'High', 'Medium').querySelector('button').disabled
    ).toBe(true);
    expect(cell(element, 'High', 'High').querySelector('button').disabled).toBe(
      false
    );
  });

  it('shows read-only users the matrix without any buttons', () => {
    const element = mount({ canEdit: false });

    expect(element.shadowRoot.querySelectorAll('td button')).toHaveLength(0);
    expect(element.shadowRoot.querySelector('.apply-proposal')).toBeNull();
    expect(element.shadowRoot.querySelectorAll('.cell-severity')).toHaveLength(
      9
    );
  });

  it('shows the error and an error toast when the update fails', async () => {
    updateRecord.mockRejectedValueOnce(updateFailure);
    const element = mount();
    const toastHandler = jest.fn();
    const savedHandler = jest.fn();
    element.addEventListener('lightning__showtoast', toastHandler);
    element.addEventListener('assessmentsaved', savedHandler);

    cell(element, 'Medium', 'Medium').querySelector('button').click();
    await flushPromises();

    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel).not.toBeNull();
    expect(panel.errors).toEqual(updateFailure);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      message: 'Impact: insufficient access rights on cross-reference id'
    });
    expect(savedHandler).not.toHaveBeenCalled();
  });

  it('lists the problems instead of a matrix when the rules are incomplete', () => {
    const element = mount({ rules: severityRules.slice(1) });

    expect(element.shadowRoot.querySelector('table')).toBeNull();
    const problems = element.shadowRoot.querySelector('.rule-problems');
    expect(problems.textContent).toContain(
      'no rule for urgency 1 (High) × impact 1 (High)'
    );
    expect(element.shadowRoot.querySelector('.proposal').textContent).toContain(
      'severity cannot be determined'
    );
  });

  describe('assessment', () => {
    it('shows the three urgency and four impact criteria as checkboxes', () => {
      const element = mount();
      const labels = (group) =>
        [
          ...element.shadowRoot.querySelectorAll(
            `lightning-input[data-group="${group}"]`
          )
        ].map((input) => {
          expect(input.type).toBe('checkbox');
          return input.label;
        });

      expect(labels('urgency')).toEqual([
        'The damage can grow quickly',
        'It becomes a bigger incident unless fixed soon',
        'It affects, or may affect, key customers'
      ]);
      expect(labels('impact')).toEqual([
        'Someone is, or may be, injured',
        'Many customers are affected',
        'Large financial impact',
        "It may damage the company's reputation"
      ]);
    });

    it('groups each set of criteria in a fieldset under its own legend', () => {
      const element = mount();
      const fieldsets = [...element.shadowRoot.querySelectorAll('fieldset')];

      expect(
        fieldsets.map((fieldset) => ({
          legend: fieldset.querySelector('legend').textContent.trim(),
          groups: [
            ...new Set(
              [...fieldset.querySelectorAll('lightning-input')].map(
                (input) => input.dataset.group
              )
            )
          ]
        }))
      ).toEqual([
        { legend: 'Urgent if any of these apply', groups: ['urgency'] },
        { legend: 'High impact if any of these apply', groups: ['impact'] }
      ]);
    });

    it('keeps the current values until a criterion is ticked, then proposes High', async () => {
      const element = mount({ urgency: 'Medium', impact: 'Low' });
      const proposal = () =>
        element.shadowRoot.querySelector('.proposal').textContent;
      const apply = () => element.shadowRoot.querySelector('.apply-proposal');

      expect(proposal()).toBe(
        'Proposed: urgency Medium, impact Low: severity 4 (Low).'
      );
      expect(apply().disabled).toBe(true);

      tick(element, 'impact', 'many-customers');
      await flushPromises();
      expect(proposal()).toBe(
        'Proposed: urgency Medium, impact High: severity 2 (High).'
      );
      expect(apply().disabled).toBe(false);

      tick(element, 'urgency', 'key-customers');
      await flushPromises();
      expect(proposal()).toBe(
        'Proposed: urgency High, impact High: severity 1 (Critical).'
      );

      tick(element, 'urgency', 'key-customers', false);
      await flushPromises();
      expect(proposal()).toBe(
        'Proposed: urgency Medium, impact High: severity 2 (High).'
      );
    });

    it('applies the proposal through updateRecord', async () => {
      const element = mount({ urgency: 'Low', impact: 'Low' });

      tick(element, 'urgency', 'damage-grows');
      tick(element, 'impact', 'injury');
      await flushPromises();
      element.shadowRoot.querySelector('.apply-proposal').click();
      await flushPromises();

      expect(updateRecord).toHaveBeenCalledWith({
        fields: { Id: RECORD_ID, Urgency: 'High', Impact: 'High' }
      });
    });
  });

  describe('accessibility', () => {
    // sfdx-lwc-jest's lightning-* stubs render no markup, so axe cannot see the names of
    // lightning-input, lightning-button or lightning-spinner: those are asserted directly.

    it('is accessible for editors, every cell action naming its cell', async () => {
      const element = mount();

      await expect(element).toBeAccessible();
      expect(element.shadowRoot.querySelectorAll('td button')).toHaveLength(9);
      // Screen-reader users hear which cell a button sets, not just "Severity 2".
      expect(
        cell(element, 'Low', 'High').querySelector(
          'button .slds-assistive-text'
        ).textContent
      ).toBe('Set urgency Low and impact High:');
      expect(
        element.shadowRoot.querySelector('table caption').textContent
      ).toContain('Current');
      expect(element.shadowRoot.querySelector('.apply-proposal').label).toBe(
        'Apply proposal'
      );
    });

    it('is accessible for read-only users', async () => {
      const element = mount({ canEdit: false });

      await expect(element).toBeAccessible();
      expect(element.shadowRoot.querySelectorAll('td button')).toHaveLength(0);
    });

    it('is accessible with criteria ticked and a proposal ready to apply', async () => {
      const element = mount({ urgency: 'Low', impact: 'Low' });
      tick(element, 'urgency', 'damage-grows');
      tick(element, 'impact', 'injury');
      await flushPromises();

      expect(element.shadowRoot.querySelector('.apply-proposal').disabled).toBe(
        false
      );
      await expect(element).toBeAccessible();
    });

    it('is accessible while saving and after a failed save', async () => {
      let fail;
      updateRecord.mockReturnValueOnce(
        new Promise((resolve, reject) => {
          fail = reject;
        })
      );
      const element = mount();

      cell(element, 'Low', 'Low').querySelector('button').click();
      await flushPromises();
      expect(
        element.shadowRoot.querySelector('lightning-spinner').alternativeText
      ).toBe('Saving urgency and impact');
      await expect(element).toBeAccessible();

      fail(updateFailure);
      await flushPromises();
      expect(element.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible when the rules are incomplete', async () => {
      const element = mount({ rules: severityRules.slice(1) });

      expect(element.shadowRoot.querySelector('.rule-problems')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('fails the check when a cell action loses its accessible name', async () => {
      const element = mount();
      await expect(element).toBeAccessible();

      // The defect of an icon-only redesign: the button's text hidden, no label instead.
      cell(element, 'Low', 'Low')
        .querySelectorAll('button span')
        .forEach((span) => span.setAttribute('aria-hidden', 'true'));

      await expect(expect(element).toBeAccessible()).rejects.toThrow(
        /\[button-name\]/
      );
    });

    it('fails the check when the current cell is marked with a misspelt ARIA attribute', async () => {
      const element = mount();
      const current = cell(element, 'High', 'Medium');

      current.removeAttribute('aria-current');
      current.setAttribute('aria-curent', 'true');

      await expect(expect(element).toBeAccessible()).rejects.toThrow(
        /\[aria-valid-attr\]/
      );
    });
  });

  it('disables the cells and shows a spinner while saving', async () => {
    let finish;
    updateRecord.mockReturnValueOnce(
      new Promise((resolve) => {
        finish = resolve;
      })
    );
    const element = mount();

    cell(element, 'Low', 'Low').querySelector('button').click();
    await flushPromises();
    expect(
      element.shadowRoot.querySelector('lightning-spinner')
    ).not.toBeNull();
    expect(
      [...element.shadowRoot.querySelectorAll('td button')].every(
        (button) => button.disabled
      )
    ).toBe(true);

    finish({});
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
    expect(cell(element, 'Low', 'Low').querySelector('button').disabled).toBe(
      false
    );
  });
});
