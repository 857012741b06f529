import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStandardObjects } from '../../schema/standard.ts';
import {
  indexSchema,
  loadProjectSchema,
  mergeSchemas,
  readSupplementObjects,
  withSupplement
} from './apex-schema.ts';

const fixtureForceApp = new URL('./__fixtures__/force-app', import.meta.url)
  .pathname;

void describe('project schema for the field-reference check', () => {
  const schema = indexSchema(
    mergeSchemas(loadStandardObjects(), fixtureForceApp)
  );

  void it('adds force-app custom fields to standard objects and keeps the standard ones', () => {
    assert.equal(schema.field('Incident', 'Severity__c')?.name, 'Severity__c');
    assert.equal(schema.field('Incident', 'Urgency')?.name, 'Urgency');
    assert.equal(schema.field('Incident', 'Severity_Typo__c'), undefined);
  });

  void it('looks names up case-insensitively, as Apex does', () => {
    assert.equal(schema.object('incident')?.name, 'Incident');
    assert.equal(schema.field('INCIDENT', 'severity__C')?.name, 'Severity__c');
  });

  void it('resolves parent and child relationships of the standard schema', () => {
    assert.deepEqual(schema.parentRelationship('CaseRelatedIssue', 'Case'), [
      'Case'
    ]);
    assert.equal(
      schema.childRelationship('Incident', 'CaseRelatedIssues'),
      'CaseRelatedIssue'
    );
  });

  void it('does not change the standard objects it was given', () => {
    const standard = loadStandardObjects();
    const before = standard.find((object) => object.name === 'Incident')?.fields
      .length;
    mergeSchemas(standard, fixtureForceApp);
    assert.equal(
      standard.find((object) => object.name === 'Incident')?.fields.length,
      before
    );
  });
});

void describe('supplement of standard objects Apex uses', () => {
  void it('adds objects the standard schema lacks, with their lookups', () => {
    const schema = loadProjectSchema(fixtureForceApp);
    assert.equal(
      schema.field('UserRecordAccess', 'HasEditAccess')?.name,
      'HasEditAccess'
    );
    assert.deepEqual(
      schema.parentRelationship('PermissionSetAssignment', 'Assignee'),
      ['User']
    );
  });

  void it('rejects an object that the standard schema already describes', () => {
    const standard = loadStandardObjects();
    const incident = standard.filter((object) => object.name === 'Incident');
    assert.throws(
      () => withSupplement(standard, incident),
      /Incident already in the standard schema/
    );
  });

  void it('names the file and entry of a malformed supplement', () => {
    const folder = mkdtempSync(join(tmpdir(), 'apex-supplement-'));
    try {
      const file = join(folder, 'supplement.json');
      writeFileSync(
        file,
        JSON.stringify({
          objects: [{ name: 'Profile', fields: [{ name: 'OwnerId' }] }]
        })
      );
      assert.throws(
        () => readSupplementObjects(file),
        /supplement\.json: Profile\.fields\[0\] must be a name or/
      );
      writeFileSync(file, JSON.stringify({ objects: [{ fields: [] }] }));
      assert.throws(
        () => readSupplementObjects(file),
        /objects\[0\] needs a "name"/
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
