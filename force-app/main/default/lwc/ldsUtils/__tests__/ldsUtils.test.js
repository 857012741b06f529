import { reduceErrors } from 'c/ldsUtils';

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
