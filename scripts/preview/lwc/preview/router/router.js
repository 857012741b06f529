/* global window -- browser code: the linter's globals for scripts/ are Node's */
/**
 * Hash routes of the preview: `#/` the incident list, `#/r/<Object>/<Id>` a record page,
 * `#/bench/timers/<count>/<Id>` the benchmark's page of many SLA timers.
 * Anything else (an in-page anchor) leaves the current route as it is.
 */
export function parseRoute(hash) {
  const record = /^#\/r\/(\w+)\/(\w+)$/.exec(hash ?? '');
  if (record) {
    return {
      key: `record-${record[2]}`,
      page: 'record',
      objectApiName: record[1],
      recordId: record[2]
    };
  }
  const bench = /^#\/bench\/timers\/(\d+)\/(\w+)$/.exec(hash ?? '');
  if (bench) {
    return {
      key: `bench-${bench[1]}-${bench[2]}`,
      page: 'timers',
      count: Number(bench[1]),
      recordId: bench[2]
    };
  }
  if (!hash || hash === '#' || hash.startsWith('#/')) {
    return { key: 'list', page: 'list' };
  }
  return null;
}

let current = parseRoute(window.location.hash) ?? { key: 'list', page: 'list' };

export function currentRoute() {
  return current;
}

/** Calls listener with the new route whenever the hash names one; returns the unsubscribe. */
export function onRouteChange(listener) {
  const handler = () => {
    const next = parseRoute(window.location.hash);
    if (next) {
      current = next;
      listener(next);
    }
  };
  window.addEventListener('hashchange', handler);
  return () => window.removeEventListener('hashchange', handler);
}
