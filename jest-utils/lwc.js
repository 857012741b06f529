/**
 * What every component test does the same way: mount a component, let it settle, look inside
 * its shadow root, and leave the document empty for the next test. Imported as `test-utils`
 * (jest.config.js maps the name), so a test file states only what is particular to its
 * component.
 */
import { createElement } from '@lwc/engine-dom';
import { createApexTestWireAdapter } from '@salesforce/sfdx-lwc-jest';

/** The incident the component tests mount on (getConsole.json's recordId too). */
export const RECORD_ID = '0ny000000000001AAA';

/**
 * The jsdom setTimeout as it was before any test turned jest's fake timers on: a flush must
 * wait for a real macrotask even when the test fakes time, or it would never resolve.
 */
const realSetTimeout = globalThis.setTimeout;

/** Creates the component with these public properties and attaches it to the document. */
export function mount(tag, Component, props = {}) {
  const element = createElement(tag, { is: Component });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

/** Mounts a record-page component on the test incident (recordId and objectApiName set). */
export function mountOnIncident(tag, Component, props = {}) {
  return mount(tag, Component, {
    recordId: RECORD_ID,
    objectApiName: 'Incident',
    ...props
  });
}

/**
 * Settles every pending promise chain and the re-render after it: a macrotask runs only once
 * all microtasks have. Fake timers never fire in between, so time still stands where the test
 * set it.
 */
export function flushPromises() {
  return new Promise((resolve) => realSetTimeout(resolve, 0));
}

/**
 * One microtask: LWC re-renders what changed while the promises the component awaits are still
 * pending. For a state in between, such as the spinner while a retried call runs.
 */
export const rendered = () => Promise.resolve();

/** Emits data through a wire adapter mock to a mounted component and lets it render. */
export async function provide(adapter, data, element) {
  adapter.emit(data);
  await flushPromises();
  return element;
}

/** The first node in the component's shadow root matching the selector, or null. */
export const $ = (element, selector) =>
  element.shadowRoot.querySelector(selector);

/** Every node in the component's shadow root matching the selector, as an array. */
export const $$ = (element, selector) => [
  ...element.shadowRoot.querySelectorAll(selector)
];

/**
 * The spinner or error panel a section shows through its c-section-status. `root` is a shadow
 * root, or an element in one when a component has several sections (the console's header).
 */
export function statusPart(root, selector) {
  return (
    root
      .querySelector('c-section-status')
      ?.shadowRoot.querySelector(selector) ?? null
  );
}

/** A base input's change (lightning-combobox, -input, -textarea), as the component fires it. */
export function changeValue(target, value) {
  target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

/**
 * The module of an Apex method a component wires: `jest.mock(path, () =>
 * require('test-utils').apexWireMock(), { virtual: true })`. Tests emit data or errors through
 * its default export, and ask it what the component passed (`getLastConfig`).
 */
export function apexWireMock() {
  return { default: createApexTestWireAdapter(jest.fn()) };
}

/** What fakeVisibility makes document.visibilityState answer. */
let visibility = 'visible';

/**
 * jsdom's document is always visible; the SLA ticker pauses in a hidden tab. Makes
 * document.visibilityState answer what setVisibility last set. Call in beforeEach: each test
 * starts with the tab visible.
 */
export function fakeVisibility() {
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => visibility
  });
}

/**
 * The tab is hidden or shown, and says so as the browser does (visibilitychange); with
 * `{ announce: false }` the state is set without the event, as a tab that loads hidden.
 */
export function setVisibility(state, { announce = true } = {}) {
  visibility = state;
  if (announce) {
    document.dispatchEvent(new CustomEvent('visibilitychange'));
  }
}

/** afterEach of every component test: an empty document and mocks with no calls recorded. */
export function cleanUp() {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
  jest.clearAllMocks();
}
