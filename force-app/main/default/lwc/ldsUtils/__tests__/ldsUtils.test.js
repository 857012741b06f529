import { reduceErrors, reloadApex } from 'c/ldsUtils';
import { refreshApex } from '@salesforce/apex';

const errors = require('./data/errors.json');

describe('c/ldsUtils reduceErrors', () => {
  it.each([
    [
      'a UI API read error',
      errors.uiApiRead,
      ['The requested resource does not exist']
    ],
    ['a DML page error', errors.dmlPageError, ['Impact is required']],
    [
      'DML field errors',
      errors.dmlFieldErrors,
      [
        'Urgency: bad value for restricted picklist field',
        'Impact: bad value for restricted picklist field'
      ]
    ],
    ['UI API DML output errors', errors.uiApiDmlOutput, ['Record is locked']],
    [
      'an Apex error',
      errors.apexError,
      ['Insufficient permissions: secure query included inaccessible field']
    ],
    ['an error with only a status', errors.statusOnly, ['Service Unavailable']],
    ['a JavaScript error', new TypeError('x is undefined'), ['x is undefined']],
    ['a plain string', 'Offline', ['Offline']]
  ])('reads %s', (_name, error, expected) => {
    expect(reduceErrors(error)).toEqual(expected);
  });

  it('flattens a list, dropping empty entries and duplicates', () => {
    expect(
      reduceErrors([
        null,
        errors.apexError,
        undefined,
        errors.apexError,
        errors.dmlPageError
      ])
    ).toEqual([
      'Insufficient permissions: secure query included inaccessible field',
      'Impact is required'
    ]);
  });

  it('returns nothing for no error', () => {
    expect(reduceErrors(undefined)).toEqual([]);
    expect(reduceErrors([])).toEqual([]);
  });
});

describe('c/ldsUtils reloadApex', () => {
  afterEach(() => jest.clearAllMocks());

  it('refreshes a wire that holds data and leaves the new data to the wire', async () => {
    const method = jest.fn();
    const wired = { data: { a: 1 }, error: undefined };

    await expect(reloadApex(wired, method, { recordId: 'x' })).resolves.toBe(
      undefined
    );
    expect(refreshApex).toHaveBeenCalledWith(wired);
    expect(method).not.toHaveBeenCalled();
  });

  it('calls the method itself after the wire provisioned an error, and returns its data', async () => {
    const method = jest.fn(() => Promise.resolve({ a: 2 }));

    await expect(
      reloadApex({ data: undefined, error: { message: 'x' } }, method, {
        recordId: 'x'
      })
    ).resolves.toEqual({ a: 2 });
    expect(method).toHaveBeenCalledWith({ recordId: 'x' });
    expect(refreshApex).not.toHaveBeenCalled();
  });

  it('calls the method itself before the wire provisioned anything, and rejects with its error', async () => {
    const failure = { body: { message: 'No access' } };
    const method = jest.fn(() => Promise.reject(failure));

    await expect(reloadApex(undefined, method, {})).rejects.toBe(failure);
  });
});
