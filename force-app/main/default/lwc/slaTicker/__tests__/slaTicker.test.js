import {
  TICK_INTERVAL_MS,
  listenerCount,
  subscribe,
  unsubscribe
} from 'c/slaTicker';
import { fakeVisibility, setVisibility } from 'test-utils';

describe('c/slaTicker', () => {
  const unsubscribers = [];

  function track(listener) {
    unsubscribers.push(subscribe(listener));
    return listener;
  }

  beforeEach(() => {
    jest.useFakeTimers();
    fakeVisibility();
  });

  afterEach(() => {
    unsubscribers
      .splice(0)
      .forEach((unsubscribeListener) => unsubscribeListener());
    jest.useRealTimers();
  });

  it('runs one interval for several subscribers and passes them the current time', () => {
    jest.setSystemTime(new Date('2025-03-04T16:00:00.000Z'));
    const first = track(jest.fn());
    const second = track(jest.fn());
    const third = track(jest.fn());

    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(TICK_INTERVAL_MS);

    [first, second, third].forEach((listener) => {
      expect(listener).toHaveBeenCalledTimes(1);
      expect(listener.mock.calls[0][0]).toEqual(
        new Date(Date.parse('2025-03-04T16:00:00.000Z') + TICK_INTERVAL_MS)
      );
    });
  });

  it('clears the interval and the visibility listener when the last subscriber leaves', () => {
    const removeSpy = jest.spyOn(document, 'removeEventListener');
    const listener = jest.fn();
    const stop = subscribe(listener);
    const other = jest.fn();
    subscribe(other);

    stop();
    expect(jest.getTimerCount()).toBe(1);
    unsubscribe(other);

    expect(listenerCount()).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(removeSpy).toHaveBeenCalledWith(
      'visibilitychange',
      expect.any(Function)
    );
    jest.advanceTimersByTime(TICK_INTERVAL_MS * 3);
    expect(listener).not.toHaveBeenCalled();
    removeSpy.mockRestore();
  });

  it('pauses while the tab is hidden and ticks at once when it is visible again', () => {
    const listener = track(jest.fn());

    setVisibility('hidden');
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(TICK_INTERVAL_MS * 5);
    expect(listener).not.toHaveBeenCalled();

    setVisibility('visible');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(TICK_INTERVAL_MS);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('does not start an interval for a subscriber that arrives while the tab is hidden', () => {
    setVisibility('hidden', { announce: false });
    const listener = track(jest.fn());
    expect(jest.getTimerCount()).toBe(0);

    setVisibility('visible');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(1);
  });

  it('lets a listener unsubscribe itself during a tick without skipping others', () => {
    const others = jest.fn();
    const selfRemoving = jest.fn(() => unsubscribe(selfRemoving));
    subscribe(selfRemoving);
    track(others);

    jest.advanceTimersByTime(TICK_INTERVAL_MS * 2);

    expect(selfRemoving).toHaveBeenCalledTimes(1);
    expect(others).toHaveBeenCalledTimes(2);
  });

  it('rejects a listener that is not a function', () => {
    expect(() => subscribe('tick')).toThrow(TypeError);
    expect(listenerCount()).toBe(0);
  });
});
