/**
 * Preview stand-in for `@salesforce/apex/*` and `@salesforce/apex`.
 *
 * Each imported Apex method is, as on the platform, both a function (imperative call, returns
 * a promise) and a wire adapter (`@wire(method, config)`). Both call the preview server's
 * `/apex/<Class>/<method>` endpoint, where the controller stand-in reads the local org.
 * Like the platform's Apex wires, a wire does not call while a parameter is undefined, and
 * `refreshApex(value)` refetches the wire that provisioned `value`.
 */
import { postJson } from './http.js';

/** Provisioned value -> the adapter instance that provisioned it (for refreshApex). */
const provisioned = new WeakMap();

function hasUndefined(config) {
  return Object.values(config ?? {}).some((value) => value === undefined);
}

export function apexMethod(className, methodName) {
  const call = (params) =>
    postJson(
      `/apex/${encodeURIComponent(className)}/${encodeURIComponent(methodName)}`,
      params ?? {}
    );

  class ApexWireAdapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = undefined;
      this.connected = false;
      this.sequence = 0;
    }

    connect() {
      this.connected = true;
      if (this.config !== undefined) this.fetch();
    }

    disconnect() {
      this.connected = false;
    }

    update(config) {
      this.config = { ...config };
      if (this.connected) this.fetch();
    }

    fetch() {
      if (hasUndefined(this.config)) return Promise.resolve();
      // Only the latest request may provision: a slow answer to an older config is dropped.
      const sequence = ++this.sequence;
      const emit = (value) => {
        if (sequence !== this.sequence || !this.connected) return;
        provisioned.set(value, this);
        this.dataCallback(value);
      };
      return call(this.config).then(
        (data) => emit({ data, error: undefined }),
        (error) => emit({ data: undefined, error })
      );
    }
  }

  call.adapter = ApexWireAdapter;
  return call;
}

/**
 * Refetches the Apex wire that provisioned `value` (the object a wired function received).
 * @returns {Promise<void>} settles once the fresh value has been provisioned
 */
export function refreshApex(value) {
  const adapter = value && provisioned.get(value);
  return adapter ? adapter.fetch() : Promise.resolve();
}
