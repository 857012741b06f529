import ErrorPanel from 'c/errorPanel';
import {
  $,
  $$,
  mount as mountElement,
  cleanUp,
  flushPromises
} from 'test-utils';

const APEX_ERROR = {
  status: 500,
  body: { message: 'Unable to load the incident' }
};

const mount = (props) => mountElement('c-error-panel', ErrorPanel, props);

describe('c-error-panel', () => {
  afterEach(cleanUp);

  it('shows the friendly message as an alert, with details on request', async () => {
    const element = mount({
      errors: APEX_ERROR,
      friendlyMessage: 'The console could not be loaded.'
    });

    expect($(element, '[role="alert"] .friendly-message').textContent).toBe(
      'The console could not be loaded.'
    );
    expect($(element, '.error-details')).toBeNull();
    const toggle = $(element, '.details-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');

    toggle.click();
    await flushPromises();

    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent.trim()).toBe('Hide details');
    expect(
      $$(element, '.error-details li').map((li) => li.textContent)
    ).toEqual(['Unable to load the incident']);
  });

  it('offers no details toggle when the errors carry no message', () => {
    const element = mount({ errors: [null] });
    expect($(element, '.details-toggle')).toBeNull();
    expect($(element, '.friendly-message').textContent).toBe(
      'Something went wrong while loading this data.'
    );
  });

  it('marks the error with an icon, not colour alone', () => {
    const element = mount({ errors: APEX_ERROR });
    const icon = $(element, 'lightning-icon');
    expect(icon.iconName).toBe('utility:error');
    expect(icon.alternativeText).toBe('Error');
  });

  it('offers "Try again" only when its owner can retry, and fires retry when chosen', async () => {
    const plain = mount({ errors: APEX_ERROR });
    expect($(plain, '.retry')).toBeNull();

    const element = mount({ errors: APEX_ERROR, retryable: true });
    const retry = jest.fn();
    element.addEventListener('retry', retry);
    const button = $(element, 'lightning-button.retry');
    expect(button.label).toBe('Try again');

    button.click();
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('keeps the message, the details and the retry in one left-aligned column', () => {
    const element = mount({ errors: APEX_ERROR, retryable: true });
    const body = $(element, '[role="alert"] .slds-media__body');
    // A centred alert (slds-notify_alert) pushed the bullets out of line with the text.
    expect($(element, '.slds-notify_alert')).toBeNull();
    expect(body.querySelector('.friendly-message')).not.toBeNull();
    expect(body.querySelector('.details-toggle')).not.toBeNull();
    expect(body.querySelector('.retry')).not.toBeNull();
  });

  it('is accessible with the retry action', async () => {
    const element = mount({ errors: APEX_ERROR, retryable: true });
    $(element, '.details-toggle').click();
    await flushPromises();
    await expect(element).toBeAccessible();
  });

  it('is accessible collapsed, expanded and without details', async () => {
    const element = mount({ errors: APEX_ERROR });
    await expect(element).toBeAccessible();

    $(element, '.details-toggle').click();
    await flushPromises();
    expect($(element, '.error-details')).not.toBeNull();
    await expect(element).toBeAccessible();

    await expect(mount({ errors: [null] })).toBeAccessible();
  });
});
