import SeverityMatrix from 'c/severityMatrix';
import { updateRecord } from 'lightning/uiRecordApi';
import {
  $,
  $$,
  RECORD_ID,
  mount as mountElement,
  cleanUp,
  flushPromises
} from 'test-utils';

const severityRules = require('./data/severityRules.json');
const updateFailure = require('./data/updateRecordFailure.json');

const mount = (props) =>
  mountElement('c-severity-matrix', SeverityMatrix, {
    recordId: RECORD_ID,
    urgency: 'High',
    impact: 'Medium',
    rules: severityRules,
    canEdit: true,
    ...props
  });

const cell = (element, urgency, impact) =>
  $(element, `td[data-urgency="${urgency}"][data-impact="${impact}"]`);

function tick(element, group, id, checked = true) {
  const input = $(
    element,
    `lightning-input[data-group="${group}"][data-id="${id}"]`
  );
  input.checked = checked;
  input.dispatchEvent(new CustomEvent('change'));
}

describe('c-severity-matrix', () => {
  afterEach(cleanUp);

  it('renders urgency rows by impact columns with the severity of every cell', () => {
    const element = mount();

    const columnHeaders = $$(element, 'thead th[scope="col"]').map((th) =>
      th.textContent.trim()
    );
    expect(columnHeaders).toEqual([
      'Urgency / Impact',
      'High impact',
      'Medium impact',
      'Low impact'
    ]);
    const rowHeaders = $$(element, 'tbody th[scope="row"]').map((th) =>
      th.textContent.trim()
    );
    expect(rowHeaders).toEqual([
      'High urgency',
      'Medium urgency',
      'Low urgency'
    ]);

    const severities = $$(element, 'tbody tr').map((row) =>
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

  it("shows the matrix's own priority of a severity where the rules name one", () => {
    const element = mount({
      rules: severityRules.map((rule) => ({
        ...rule,
        priority: rule.severity === 4 ? 'Moderate' : null
      }))
    });

    expect(
      cell(element, 'Medium', 'Low')
        .querySelector('.cell-priority')
        .textContent.trim()
    ).toBe('(Moderate)');
    expect(
      cell(element, 'Low', 'Low')
        .querySelector('.cell-priority')
        .textContent.trim()
    ).toBe('(Low)');
  });

  it('marks the current cell with aria-current and a visible text marker', () => {
    const element = mount();

    const current = $$(element, 'td[aria-current]');
    expect(current).toHaveLength(1);
    expect(current[0]).toBe(cell(element, 'High', 'Medium'));
    expect(current[0].getAttribute('aria-current')).toBe('true');
    expect(current[0].querySelector('.current-marker').textContent.trim()).toBe(
      'Current'
    );
    expect($$(element, '.current-marker')).toHaveLength(1);
  });

  it('marks no cell when urgency or impact is not set', () => {
    const element = mount({ urgency: null, impact: 'Low' });
    expect($$(element, 'td[aria-current]')).toHaveLength(0);
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

  it('does not offer the current cell as an action, yet keeps it focusable and legible', async () => {
    const element = mount();
    const current = cell(element, 'High', 'Medium').querySelector('button');

    expect(current.disabled).toBe(false);
    expect(current.getAttribute('aria-disabled')).toBe('true');
    expect(current.querySelector('.slds-assistive-text').textContent).toBe(
      'Current urgency High and impact Medium:'
    );
    expect(
      cell(element, 'High', 'High')
        .querySelector('button')
        .getAttribute('aria-disabled')
    ).toBeNull();

    current.click();
    await flushPromises();
    expect(updateRecord).not.toHaveBeenCalled();
  });

  it('shows the "Current" badge inside the current cell, for editors and readers', () => {
    for (const canEdit of [true, false]) {
      const element = mount({ canEdit });
      const marker = cell(element, 'High', 'Medium').querySelector(
        '.cell-content .current-marker'
      );
      expect(marker.textContent).toBe('Current');
      expect(cell(element, 'High', 'Medium').classList).toContain('is-current');
    }
  });

  it('shows read-only users the matrix without any buttons', () => {
    const element = mount({ canEdit: false });

    expect($$(element, 'td button')).toHaveLength(0);
    expect($(element, '.apply-proposal')).toBeNull();
    expect($$(element, '.cell-severity')).toHaveLength(9);
  });

  it('shows read-only users the criteria as reference, not as a checklist', () => {
    const element = mount({ canEdit: false });

    expect($$(element, 'lightning-input')).toHaveLength(0);
    expect($(element, '.proposal')).toBeNull();
    expect($(element, '.read-only-note').textContent).toContain(
      "You can't change urgency and impact on this record."
    );
    const items = (group) =>
      $$(element, `.criteria-reference [data-group="${group}"] li`).map(
        (li) => li.textContent
      );
    expect(items('urgency')).toHaveLength(3);
    expect(items('impact')).toContain('Many customers are affected');
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

    const panel = $(element, 'c-error-panel');
    expect(panel).not.toBeNull();
    expect(panel.errors).toEqual(updateFailure);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
      variant: 'error',
      message: 'Impact: insufficient access rights on cross-reference id'
    });
    expect(savedHandler).not.toHaveBeenCalled();
  });

  it('keeps the keyboard focus on the chosen cell through the save', async () => {
    let finish;
    updateRecord.mockReturnValueOnce(
      new Promise((resolve) => {
        finish = resolve;
      })
    );
    const element = mount();
    const button = cell(element, 'Low', 'High').querySelector('button');
    button.focus();
    button.click();
    await flushPromises();

    // While saving, every cell refuses clicks through aria-disabled, none is disabled.
    const buttons = $$(element, 'td button');
    expect(buttons.every((b) => !b.disabled)).toBe(true);
    expect(
      buttons.every((b) => b.getAttribute('aria-disabled') === 'true')
    ).toBe(true);
    expect(element.shadowRoot.activeElement).toBe(button);

    finish({});
    await flushPromises();
    // The container reloads and passes the new values: the same button, now the current cell.
    element.urgency = 'Low';
    element.impact = 'High';
    await flushPromises();
    expect(cell(element, 'Low', 'High').querySelector('button')).toBe(button);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(element.shadowRoot.activeElement).toBe(button);
  });

  it('moves the focus to the cell an applied proposal sets', async () => {
    const element = mount({ urgency: 'Low', impact: 'Low' });
    tick(element, 'urgency', 'damage-grows');
    await flushPromises();

    $(element, '.apply-proposal').click();
    await flushPromises();

    expect(element.shadowRoot.activeElement).toBe(
      cell(element, 'High', 'Low').querySelector('button')
    );
  });

  it('puts the saving spinner inside the positioned matrix area, not over the page', async () => {
    updateRecord.mockReturnValueOnce(new Promise(() => {}));
    const element = mount();

    cell(element, 'Low', 'Low').querySelector('button').click();
    await flushPromises();

    const spinner = $(element, 'lightning-spinner');
    expect(spinner.parentElement.classList).toContain('matrix-area');
    expect(spinner.parentElement.classList).toContain('slds-is-relative');
    expect(spinner.parentElement.querySelector('table')).not.toBeNull();
  });

  it('stacks the assessment groups in a narrow region', () => {
    const wide = mount();
    const narrow = mount({ narrow: true });
    const classes = (element) =>
      $$(element, 'fieldset').map((fieldset) => fieldset.className);

    expect(
      classes(wide).every((c) => c.includes('slds-medium-size_1-of-2'))
    ).toBe(true);
    expect(classes(narrow).some((c) => c.includes('1-of-2'))).toBe(false);
  });

  it('lists the problems instead of a matrix when the rules are incomplete', () => {
    const element = mount({ rules: severityRules.slice(1) });

    expect($(element, 'table')).toBeNull();
    const problems = $(element, '.rule-problems');
    expect(problems.textContent).toContain(
      'no rule for urgency 1 (High) × impact 1 (High)'
    );
    expect($(element, '.proposal').textContent).toContain(
      'severity cannot be determined'
    );
  });

  describe('assessment', () => {
    it('shows the three urgency and four impact criteria as checkboxes', () => {
      const element = mount();
      const labels = (group) =>
        $$(element, `lightning-input[data-group="${group}"]`).map((input) => {
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
      const fieldsets = $$(element, 'fieldset');

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
      const proposal = () => $(element, '.proposal').textContent;
      const apply = () => $(element, '.apply-proposal');

      expect(proposal()).toBe(
        'Proposed: urgency Medium, impact Low: severity 4 (Low).'
      );
      expect(apply().disabled).toBe(true);
      expect($(element, '.apply-reason').textContent.trim()).toBe(
        'Nothing to apply: the proposal is the current urgency and impact. Tick a criterion to propose High.'
      );

      tick(element, 'impact', 'many-customers');
      await flushPromises();
      expect(proposal()).toBe(
        'Proposed: urgency Medium, impact High: severity 2 (High).'
      );
      expect(apply().disabled).toBe(false);
      expect($(element, '.apply-reason')).toBeNull();

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

    it('says why "Apply proposal" is unavailable when urgency or impact is not set', async () => {
      const element = mount({ urgency: null, impact: null });
      const reason = () => $(element, '.apply-reason').textContent.trim();

      expect($(element, '.apply-proposal').disabled).toBe(true);
      expect(reason()).toBe(
        'No urgency or impact yet: tick a criterion of that group or choose a cell.'
      );
      tick(element, 'urgency', 'escalates');
      await flushPromises();
      expect(reason()).toBe(
        'No impact yet: tick a criterion of that group or choose a cell.'
      );
    });

    it('says why "Apply proposal" is unavailable when the rules are incomplete', () => {
      const element = mount({ rules: severityRules.slice(1) });
      expect($(element, '.apply-reason').textContent.trim()).toBe(
        'The severity rules are incomplete, so no severity can be proposed.'
      );
    });

    it('applies the proposal through updateRecord', async () => {
      const element = mount({ urgency: 'Low', impact: 'Low' });

      tick(element, 'urgency', 'damage-grows');
      tick(element, 'impact', 'injury');
      await flushPromises();
      $(element, '.apply-proposal').click();
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
      expect($$(element, 'td button')).toHaveLength(9);
      // Screen-reader users hear which cell a button sets, not just "Severity 2".
      expect(
        cell(element, 'Low', 'High').querySelector(
          'button .slds-assistive-text'
        ).textContent
      ).toBe('Set urgency Low and impact High:');
      expect($(element, 'table caption').textContent).toContain('Current');
      expect($(element, '.apply-proposal').label).toBe('Apply proposal');
    });

    it('is accessible for read-only users', async () => {
      const element = mount({ canEdit: false });

      await expect(element).toBeAccessible();
      expect($$(element, 'td button')).toHaveLength(0);
      expect($(element, '.criteria-reference')).not.toBeNull();
    });

    it('is accessible with the reason "Apply proposal" is unavailable, narrow', async () => {
      const element = mount({ urgency: null, impact: null, narrow: true });

      expect($(element, '.apply-reason')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible with criteria ticked and a proposal ready to apply', async () => {
      const element = mount({ urgency: 'Low', impact: 'Low' });
      tick(element, 'urgency', 'damage-grows');
      tick(element, 'impact', 'injury');
      await flushPromises();

      expect($(element, '.apply-proposal').disabled).toBe(false);
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
      expect($(element, 'lightning-spinner').alternativeText).toBe(
        'Saving urgency and impact'
      );
      await expect(element).toBeAccessible();

      fail(updateFailure);
      await flushPromises();
      expect($(element, 'c-error-panel')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible when the rules are incomplete', async () => {
      const element = mount({ rules: severityRules.slice(1) });

      expect($(element, '.rule-problems')).not.toBeNull();
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

  it('refuses the cells (aria-disabled) and shows a spinner while saving', async () => {
    let finish;
    updateRecord.mockReturnValueOnce(
      new Promise((resolve) => {
        finish = resolve;
      })
    );
    const element = mount();

    cell(element, 'Low', 'Low').querySelector('button').click();
    await flushPromises();
    expect($(element, 'lightning-spinner')).not.toBeNull();
    expect(
      $$(element, 'td button').every(
        (button) => button.getAttribute('aria-disabled') === 'true'
      )
    ).toBe(true);
    cell(element, 'Medium', 'Low').querySelector('button').click();
    await flushPromises();
    expect(updateRecord).toHaveBeenCalledTimes(1);

    finish({});
    await flushPromises();
    expect($(element, 'lightning-spinner')).toBeNull();
    expect(
      cell(element, 'Low', 'Low')
        .querySelector('button')
        .getAttribute('aria-disabled')
    ).toBeNull();
  });
});
