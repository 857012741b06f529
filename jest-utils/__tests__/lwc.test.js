/**
 * The shared helpers' own promises, on which every component test leans: a flush that works
 * under fake timers, the one-microtask render, the hidden-tab fake and the clean-up.
 */
import {
  cleanUp,
  fakeVisibility,
  flushPromises,
  rendered,
  setVisibility
} from 'test-utils';

/** A promise chain `steps` callbacks long; `done` is set by its last one. */
function chain(steps) {
  const state = { done: false };
  let promise = Promise.resolve();
  for (let i = 0; i < steps; i++) {
    promise = promise.then(() => undefined);
  }
  promise.then(() => {
    state.done = true;
  });
  return state;
}

describe('test-utils', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('flushPromises settles a long promise chain', async () => {
    const state = chain(20);
    await flushPromises();
    expect(state.done).toBe(true);
  });

  it('flushPromises resolves under fake timers, firing none and leaving the time as set', async () => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2026-01-05T09:00:00.000Z'));
    const timer = jest.fn();
    setTimeout(timer, 0);
    const state = chain(20);

    await flushPromises();

    expect(state.done).toBe(true);
    expect(timer).not.toHaveBeenCalled();
    expect(new Date().toISOString()).toBe('2026-01-05T09:00:00.000Z');
  });

  it('rendered lets one microtask run and leaves a longer chain pending', async () => {
    const short = chain(0);
    const long = chain(3);
    await rendered();
    expect(short.done).toBe(true);
    expect(long.done).toBe(false);
  });

  it('fakeVisibility starts visible; setVisibility announces the change unless told not to', () => {
    fakeVisibility();
    const listener = jest.fn();
    document.addEventListener('visibilitychange', listener);
    try {
      expect(document.visibilityState).toBe('visible');

      setVisibility('hidden', { announce: false });
      expect(document.visibilityState).toBe('hidden');
      expect(listener).not.toHaveBeenCalled();

      setVisibility('visible');
      expect(document.visibilityState).toBe('visible');
      expect(listener).toHaveBeenCalledTimes(1);

      setVisibility('hidden');
      fakeVisibility();
      expect(document.visibilityState).toBe('visible');
    } finally {
      document.removeEventListener('visibilitychange', listener);
    }
  });

  it('cleanUp empties the document and forgets the calls mocks recorded', () => {
    document.body.appendChild(document.createElement('div'));
    document.body.appendChild(document.createElement('span'));
    const mock = jest.fn();
    mock('called');

    cleanUp();

    expect(document.body.childElementCount).toBe(0);
    expect(mock).not.toHaveBeenCalled();
  });
});
