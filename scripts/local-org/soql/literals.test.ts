import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SoqlError } from './errors.ts';
import { decodeString, toId18 } from './literals.ts';

void describe('string literals', () => {
  void it('decodes SOQL escape sequences', () => {
    assert.equal(decodeString(String.raw`'O\'Brien'`), "O'Brien");
    assert.equal(decodeString(String.raw`'a\\b\nc\t\u00e9\"'`), 'a\\b\nc\té"');
  });

  void it('keeps \\% and \\_ literal in LIKE patterns and escapes backslashes', () => {
    assert.equal(
      decodeString(String.raw`'50\%\_x'`, true),
      String.raw`50\%\_x`
    );
    assert.equal(decodeString(String.raw`'a\\b'`, true), String.raw`a\\b`);
    assert.equal(decodeString(String.raw`'50\%'`), '50%');
  });

  void it('rejects unknown escapes', () => {
    assert.throws(() => decodeString(String.raw`'\q'`), SoqlError);
  });
});

void describe('ids', () => {
  void it('computes the 18-character form and normalises 18-character input', () => {
    assert.equal(toId18('001000000000001'), '001000000000001AAA');
    // Upper-case letters at positions 3 (chunk 1) and 2, 4 (chunk 3): bits 8 → I, 0 → A, 20 → U.
    assert.equal(toId18('500Aa0000000XyZ'), '500Aa0000000XyZIAU');
    assert.equal(toId18('001000000000001AAA'), '001000000000001AAA');
    assert.notEqual(toId18('500aa0000000xyz'), toId18('500Aa0000000XyZ'));
  });

  void it('rejects malformed ids', () => {
    assert.throws(() => toId18('short'), {
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: 'invalid ID field: short'
    });
  });
});
