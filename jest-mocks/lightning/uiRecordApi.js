/**
 * Stand-in for lightning/uiRecordApi with the one function the components call. `updateRecord`
 * is a jest mock that resolves by default (override per test with `mockResolvedValue` /
 * `mockRejectedValue`).
 */
export const updateRecord = jest.fn((recordInput) =>
  Promise.resolve({ id: recordInput?.fields?.Id, fields: {} })
);
