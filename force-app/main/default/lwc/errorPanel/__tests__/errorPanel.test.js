import { createElement } from '@lwc/engine-dom';
import ErrorPanel from 'c/errorPanel';

const APEX_ERROR = {
  status: 500,
  body: { message: 'Unable to load the incident' }
};

function mount(props) {
  const element = createElement('c-error-panel', { is: ErrorPanel });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-error-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('shows the friendly message as an alert, with details on request', async () => {
    const element = mount({
      errors: APEX_ERROR,
      friendlyMessage: 'The console could not be loaded.'
    });

    expect(
      element.shadowRoot.querySelector('[role="alert"] .friendly-message')
        .textContent
    ).toBe('The console could not be loaded.');
    expect(element.shadowRoot.querySelector('.error-details')).toBeNull();
    const toggle = element.shadowRoot.querySelector('.details-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');

    toggle.click();
    await Promise.resolve();

    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent.trim()).toBe('Hide details');
    expect(
      [...element.shadowRoot.querySelectorAll('.error-details li')].map(
        (li) => li.textContent
      )
    ).toEqual(['Unable to load the incident']);
  });

  it('offers no details toggle when the errors carry no message', () => {
    const element = mount({ errors: [null] });
    expect(element.shadowRoot.querySelector('.details-toggle')).toBeNull();
    expect(
      element.shadowRoot.querySelector('.friendly-message').textContent
    ).toBe('Something went wrong while loading this data.');
  });

  it('is accessible collapsed, expanded and without details', async () => {
    const element = mount({ errors: APEX_ERROR });
    await expect(element).toBeAccessible();

    element.shadowRoot.querySelector('.details-toggle').click();
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('.error-details')).not.toBeNull();
    await expect(element).toBeAccessible();

    await expect(mount({ errors: [null] })).toBeAccessible();
  });
});
