/**
 * Structural accessibility checks for component tests.
 *
 * The sa11y matcher (`toBeAccessible`) is not installed in this project, so tests call
 * `accessibilityProblems(element)` instead: it walks the component's shadow tree (and the
 * shadow trees of nested components) and reports the WCAG basics our components rely on:
 * named controls, labelled form fields, tables with captions and scoped headers, valid ARIA
 * references. It returns a list of problems so a failing test says what is wrong.
 */

const ARIA_CURRENT_VALUES = new Set([
  'true',
  'false',
  'page',
  'step',
  'location',
  'date',
  'time'
]);

function textOf(node) {
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function describeNode(node) {
  const classes = node.getAttribute('class');
  return `<${node.tagName.toLowerCase()}${classes ? ` class="${classes}"` : ''}>`;
}

function checkRoot(root, problems) {
  const all = [...root.querySelectorAll('*')];
  all.forEach((node) => {
    const tag = node.tagName.toLowerCase();
    const label = node.getAttribute('aria-label');
    if (tag === 'button' && !textOf(node) && !label) {
      problems.push(`${describeNode(node)} has no accessible name`);
    }
    if (tag === 'a') {
      if (!node.getAttribute('href')) {
        problems.push(`${describeNode(node)} has no href`);
      }
      if (!textOf(node) && !label) {
        problems.push(`${describeNode(node)} has no link text`);
      }
    }
    if (tag === 'img' && node.getAttribute('alt') === null) {
      problems.push(`${describeNode(node)} has no alt attribute`);
    }
    if (tag === 'table') {
      const caption = node.querySelector('caption');
      if (!caption || !textOf(caption)) {
        problems.push(`${describeNode(node)} has no caption`);
      }
      node.querySelectorAll('th').forEach((header) => {
        const scope = header.getAttribute('scope');
        if (scope !== 'col' && scope !== 'row') {
          problems.push(
            `${describeNode(header)} "${textOf(header)}" has no scope="col|row"`
          );
        }
        if (!textOf(header)) {
          problems.push(`${describeNode(header)} is an empty header cell`);
        }
      });
    }
    if (tag === 'fieldset') {
      const legend = node.querySelector('legend');
      if (!legend || !textOf(legend)) {
        problems.push(`${describeNode(node)} has no legend`);
      }
    }
    if (
      node.hasAttribute('aria-current') &&
      !ARIA_CURRENT_VALUES.has(node.getAttribute('aria-current'))
    ) {
      problems.push(`${describeNode(node)} has an invalid aria-current value`);
    }
    ['aria-labelledby', 'aria-describedby'].forEach((attribute) => {
      const ids = (node.getAttribute(attribute) ?? '')
        .split(/\s+/)
        .filter((id) => id);
      ids.forEach((id) => {
        if (!root.querySelector(`[id="${id}"]`)) {
          problems.push(
            `${describeNode(node)} ${attribute} refers to missing id "${id}"`
          );
        }
      });
    });
    if (
      (tag === 'lightning-input' || tag === 'lightning-button') &&
      !node.label
    ) {
      problems.push(`${describeNode(node)} has no label`);
    }
    if (tag === 'lightning-spinner' && !node.alternativeText) {
      problems.push(`${describeNode(node)} has no alternative-text`);
    }
    if (node.shadowRoot) {
      checkRoot(node.shadowRoot, problems);
    }
  });
}

/**
 * @param {HTMLElement} element a component created with createElement
 * @returns {string[]} problems found; empty when none
 */
export function accessibilityProblems(element) {
  const problems = [];
  checkRoot(element.shadowRoot ?? element, problems);
  return problems;
}
