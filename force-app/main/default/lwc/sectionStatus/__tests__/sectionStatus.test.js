import SectionStatus from 'c/sectionStatus';
import { $, mount as mountElement, cleanUp } from 'test-utils';

const mount = (props) => mountElement('c-section-status', SectionStatus, props);

describe('c-section-status', () => {
  afterEach(cleanUp);

  it('shows a named spinner inside a positioned box of its own while loading', () => {
    const element = mount({ loading: true, loadingText: 'Loading the roster' });

    const spinner = $(element, 'lightning-spinner');
    expect(spinner.alternativeText).toBe('Loading the roster');
    expect(spinner.parentElement.classList).toContain('slds-is-relative');
    expect($(element, 'c-error-panel')).toBeNull();
  });

  it('shows the error with "Try again" and passes the retry on', () => {
    const failure = { body: { message: 'No access' } };
    const element = mount({
      errors: failure,
      errorText: 'The roster could not be loaded.'
    });
    const retry = jest.fn();
    element.addEventListener('retry', retry);

    const panel = $(element, 'c-error-panel');
    expect(panel.errors).toEqual(failure);
    expect(panel.friendlyMessage).toBe('The roster could not be loaded.');
    expect(panel.retryable).toBe(true);
    panel.dispatchEvent(new CustomEvent('retry'));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('prefers the spinner while a retry runs, and shows nothing when all is well', () => {
    expect(
      $(mount({ loading: true, errors: { message: 'x' } }), 'c-error-panel')
    ).toBeNull();
    const idle = mount({});
    expect(idle.shadowRoot.childElementCount).toBe(0);
  });

  it('is accessible loading and failed', async () => {
    await expect(
      mount({ loading: true, loadingText: 'Loading linked cases' })
    ).toBeAccessible();
    await expect(
      mount({ errors: { message: 'x' }, errorText: 'It failed.' })
    ).toBeAccessible();
  });
});
