/**
 * Stand-in for lightning/uiRecordApi. Write operations are jest mocks that resolve by
 * default (override per test with `mockResolvedValue` / `mockRejectedValue`); read
 * adapters are LDS test wire adapters, so tests can `emit` records or `error`s.
 */
import { createLdsTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const getRecord = createLdsTestWireAdapter(jest.fn());
export const getRecords = createLdsTestWireAdapter(jest.fn());

export const updateRecord = jest.fn((recordInput) =>
  Promise.resolve({ id: recordInput?.fields?.Id, fields: {} })
);
export const createRecord = jest.fn(() =>
  Promise.resolve({ id: '001000000000001AAA', fields: {} })
);
export const deleteRecord = jest.fn(() => Promise.resolve());
export const notifyRecordUpdateAvailable = jest.fn(() => Promise.resolve());

function fieldPath(field) {
  const qualified =
    typeof field === 'string'
      ? field
      : `${field.objectApiName}.${field.fieldApiName}`;
  const dot = qualified.indexOf('.');
  if (dot < 1) {
    throw new TypeError(
      `Field "${qualified}" is not qualified with an object API name.`
    );
  }
  return qualified.substring(dot + 1).split('.');
}

function fieldValueRecord(record, field) {
  const path = fieldPath(field);
  let current = record;
  for (let i = 0; i < path.length - 1; i++) {
    current = current?.fields?.[path[i]]?.value;
  }
  return current?.fields?.[path[path.length - 1]];
}

/** Same lookup as the platform: walks `fields.<name>.value` along a spanning field path. */
export const getFieldValue = jest.fn(
  (record, field) => fieldValueRecord(record, field)?.value
);
export const getFieldDisplayValue = jest.fn(
  (record, field) => fieldValueRecord(record, field)?.displayValue
);
