/**
 * One clock for every SLA timer on the page.
 *
 * Each timer subscribes a listener; the ticker runs a single interval while at least one
 * listener exists, so ten timers cost one interval, and no interval survives the last
 * unsubscribe. While the tab is hidden nobody sees the countdown, so the interval stops;
 * when the tab becomes visible again listeners get an immediate tick (the time shown would
 * otherwise be stale) and the interval restarts.
 */

/** SLA arithmetic has minute precision; a few seconds of lag is invisible to users. */
export const TICK_INTERVAL_MS = 10000;

const listeners = new Set();
let intervalId = null;

function tick() {
  const now = new Date();
  // Copy first: a listener may unsubscribe while we iterate.
  [...listeners].forEach((listener) => listener(now));
}

function isHidden() {
  return document.visibilityState === 'hidden';
}

function startInterval() {
  if (intervalId === null && listeners.size > 0 && !isHidden()) {
    // eslint-disable-next-line @lwc/lwc/no-async-operation -- the shared ticker is the one place that owns a timer
    intervalId = setInterval(tick, TICK_INTERVAL_MS);
  }
}

function stopInterval() {
  if (intervalId !== null) {
    clearInterval(intervalId);
    intervalId = null;
  }
}

function handleVisibilityChange() {
  if (isHidden()) {
    stopInterval();
  } else if (listeners.size > 0) {
    tick();
    startInterval();
  }
}

/**
 * Registers a listener called with the current Date on every tick.
 * @param {(now: Date) => void} listener
 * @returns {() => void} a function that unsubscribes this listener
 */
export function subscribe(listener) {
  if (typeof listener !== 'function') {
    throw new TypeError('slaTicker.subscribe expects a function');
  }
  if (listeners.size === 0) {
    document.addEventListener('visibilitychange', handleVisibilityChange);
  }
  listeners.add(listener);
  startInterval();
  return () => unsubscribe(listener);
}

/**
 * Removes a listener; the interval and the visibility listener go with the last one.
 * @param {(now: Date) => void} listener
 */
export function unsubscribe(listener) {
  listeners.delete(listener);
  if (listeners.size === 0) {
    stopInterval();
    document.removeEventListener('visibilitychange', handleVisibilityChange);
  }
}

/** Number of subscribed listeners (for diagnostics and tests). */
export function listenerCount() {
  return listeners.size;
}
