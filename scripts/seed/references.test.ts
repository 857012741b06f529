/** How the user lookup stays one query: the exact list, else the domains, else every user. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userFilter, UserDirectory } from './references.ts';

describe('userFilter', () => {
  it('names a short list exactly, by username or email', () => {
    assert.equal(
      userFilter(['ana@x.example', "o'neil@x.example"]),
      " WHERE Username IN ('ana@x.example','o\\'neil@x.example') OR Email IN ('ana@x.example','o\\'neil@x.example')"
    );
  });

  it('narrows a long list by domain, and reads every user when even that is too long', () => {
    const many = Array.from(
      { length: 2000 },
      (_, i) => `member-${i}@Bench.example`
    );
    assert.equal(
      userFilter(many),
      " WHERE Username LIKE '%@bench.example' OR Email LIKE '%@bench.example'"
    );
    assert.equal(userFilter([...many, 'no-domain']), '');
    const domains = Array.from({ length: 2000 }, (_, i) => `a@d${i}.example`);
    assert.equal(userFilter(domains), '');
  });
});

describe('UserDirectory', () => {
  const user = (
    Id: string,
    Username: string,
    Email: string,
    IsActive = true
  ) => ({
    Id,
    Username,
    Email,
    IsActive
  });

  it('finds by username first, then by an email only one active user has', () => {
    const directory = new UserDirectory([
      user('1', 'ana@corp.example', 'ana@mail.example'),
      user('2', 'ana.old@corp.example', 'ana@mail.example', false),
      user('3', 'bo@corp.example', 'shared@mail.example'),
      user('4', 'cy@corp.example', 'shared@mail.example')
    ]);
    assert.equal(
      (directory.find('ANA@corp.example') as { Id: string }).Id,
      '1'
    );
    assert.equal(
      (directory.find('ana@mail.example') as { Id: string }).Id,
      '1'
    );
    assert.equal(
      (directory.find('shared@mail.example') as unknown[]).length,
      2
    );
    assert.equal(directory.find('nobody@mail.example'), undefined);
  });
});
