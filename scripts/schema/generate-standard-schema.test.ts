/**
 * The standard-schema generator, on a small reference fixture shaped like Salesforce's field
 * reference, and the committed standard-objects.json it produced from the real reference.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  apiName,
  generateStandardSchema,
  lookupTargets,
  SUPPLEMENT_DIR
} from './generate-standard-schema.ts';
import { loadStandardObjects } from './standard.ts';
import type { ObjectSchema } from './types.ts';

const FIXTURE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '__fixtures__/standard-reference'
);

function fieldNames(object: ObjectSchema | undefined): string[] {
  return (object?.fields ?? []).map((f) => f.name);
}

function duplicateNames(object: ObjectSchema): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const field of object.fields) {
    const key = field.name.toLowerCase();
    if (seen.has(key)) duplicates.push(`${object.name}.${field.name}`);
    seen.add(key);
  }
  return duplicates;
}

function untargetedLookups(object: ObjectSchema): string[] {
  return object.fields
    .filter(
      (f) =>
        f.type === 'reference' &&
        (f.referenceTo.length === 0 || f.relationshipName === null)
    )
    .map((f) => `${object.name}.${f.name}`);
}

describe('generateStandardSchema on a reference fixture', () => {
  const objects = generateStandardSchema(FIXTURE);
  const byName = new Map(objects.map((o) => [o.name, o]));

  it('keeps one field per case-insensitive name, spelled as the platform does', () => {
    const kase = byName.get('Case');
    assert.ok(kase);
    assert.deepEqual(duplicateNames(kase), []);
    assert.ok(fieldNames(kase).includes('AssetWarrantyId'));
    assert.ok(!fieldNames(kase).includes('AssetWarrantyID'));
    assert.equal(fieldNames(kase).filter((n) => n === 'Status').length, 1);
    const entitlement = byName.get('Entitlement');
    assert.ok(fieldNames(entitlement).includes('LocationId'));
    assert.ok(!fieldNames(entitlement).includes('LocationID'));
  });

  it('drops relationships and foreign fields the reference lists as fields', () => {
    assert.ok(
      !fieldNames(byName.get('Entitlement')).includes('SvcApptBookingWindows')
    );
    assert.ok(
      fieldNames(byName.get('Entitlement')).includes('SvcApptBookingWindowsId')
    );
    assert.ok(
      !fieldNames(byName.get('BusinessHours')).includes('BusinessHoursId')
    );
  });

  it('gives every lookup a target and a relationship name', () => {
    for (const object of objects)
      assert.deepEqual(untargetedLookups(object), []);
    const field = (name: string): [string[], string | null] => {
      const f = byName.get('Case')?.fields.find((x) => x.name === name);
      return [f?.referenceTo ?? [], f?.relationshipName ?? null];
    };
    assert.deepEqual(field('AccountId'), [['Account'], 'Account']);
    assert.deepEqual(field('BusinessHoursId'), [
      ['BusinessHours'],
      'BusinessHours'
    ]);
    assert.deepEqual(field('ServiceContractId'), [
      ['ServiceContract'],
      'ServiceContract'
    ]);
    assert.deepEqual(field('AssetWarrantyId'), [
      ['AssetWarranty'],
      'AssetWarranty'
    ]);
  });

  it('names child relationships only for documented lookups', () => {
    const account = byName.get('Account');
    assert.deepEqual(
      account?.childRelationships.map((r) => [r.field, r.relationshipName]),
      [['AccountId', 'Cases']]
    );
    const hours = byName.get('BusinessHours');
    assert.deepEqual(
      hours?.childRelationships.map((r) => [r.field, r.relationshipName]),
      [['BusinessHoursId', null]]
    );
  });
});

describe('lookupTargets and apiName', () => {
  const known = new Set(['BusinessHours', 'RecordType']);
  it('prefers Refers To, then the table, then the name, then the description', () => {
    assert.deepEqual(
      lookupTargets('Case', 'ParentId', 'Case', undefined, known),
      ['Case']
    );
    assert.deepEqual(
      lookupTargets('Case', 'SourceId', undefined, 'ID of the Asset', known),
      ['EmailMessage', 'MessagingSession', 'SocialPost']
    );
    assert.deepEqual(
      lookupTargets('X', 'RecordTypeId', undefined, undefined, known),
      ['RecordType']
    );
    assert.deepEqual(
      lookupTargets(
        'X',
        'ConnectionSentId',
        undefined,
        'ID of the PartnerNetworkConnection that you shared this record with.',
        known
      ),
      ['PartnerNetworkConnection']
    );
    assert.deepEqual(
      lookupTargets('X', 'OtherId', undefined, 'ID of the other thing.', known),
      []
    );
  });

  it('spells lookups ending in ID as Id unless the field table says otherwise', () => {
    assert.equal(
      apiName('AssetWarrantyID', 'reference', []),
      'AssetWarrantyId'
    );
    assert.equal(
      apiName('LocationID', 'reference', ['LocationId']),
      'LocationId'
    );
    assert.equal(apiName('ExternalID', 'string', []), 'ExternalID');
  });
});

describe('committed standard-objects.json', () => {
  const objects = loadStandardObjects();

  it('has no two fields of an object whose names differ only in case', () => {
    assert.deepEqual(objects.flatMap(duplicateNames), []);
  });

  it('gives every lookup a target and a relationship name', () => {
    assert.deepEqual(objects.flatMap(untargetedLookups), []);
  });

  it('uses distinct key prefixes for every object', () => {
    const prefixes = objects.map((o) => o.keyPrefix);
    assert.ok(prefixes.every((p) => /^[0-9a-zA-Z]{3}$/.test(p)));
    assert.equal(new Set(prefixes).size, prefixes.length);
  });

  it('resolves the Case lookups SOQL traverses', () => {
    const kase = objects.find((o) => o.name === 'Case');
    const rel = (name: string): string | null | undefined =>
      kase?.fields.find((f) => f.name === name)?.relationshipName;
    assert.equal(rel('BusinessHoursId'), 'BusinessHours');
    assert.equal(rel('RecordTypeId'), 'RecordType');
    assert.equal(rel('ServiceContractId'), 'ServiceContract');
  });

  it("describes Task from its hand-written page: tasks on incidents, a new org's statuses", () => {
    const task = objects.find((o) => o.name === 'Task');
    const field = (name: string) => task?.fields.find((f) => f.name === name);
    assert.equal(task?.keyPrefix, '00T');
    assert.ok(field('WhatId')?.referenceTo.includes('Incident'));
    assert.equal(field('Status')?.defaultValue, 'Not Started');
    assert.equal(field('Priority')?.defaultValue, 'Normal');
    assert.equal(field('OwnerId')?.defaultedOnCreate, true);
  });

  it('lets a feed post belong to an incident, a problem or a change request', () => {
    const parent = objects
      .find((o) => o.name === 'FeedItem')
      ?.fields.find((f) => f.name === 'ParentId');
    for (const target of ['Incident', 'Problem', 'ChangeRequest'])
      assert.ok(parent?.referenceTo.includes(target), target);
  });
});

describe('reference supplement', () => {
  it('adds pages the reference lacks, and the reference wins where both have one', () => {
    const objects = generateStandardSchema(FIXTURE, SUPPLEMENT_DIR);
    assert.ok(objects.some((o) => o.name === 'Task'));
    const fromFixture = generateStandardSchema(FIXTURE);
    assert.equal(objects.length, fromFixture.length + 1);
    const dir = mkdtempSync(path.join(tmpdir(), 'supplement-'));
    writeFileSync(
      path.join(dir, 'Account.json'),
      JSON.stringify({ fields: { Bogus: { type: 'string' } } })
    );
    const account = generateStandardSchema(FIXTURE, dir).find(
      (o) => o.name === 'Account'
    );
    assert.deepEqual(
      account,
      fromFixture.find((o) => o.name === 'Account')
    );
    rmSync(dir, { recursive: true });
  });
});
