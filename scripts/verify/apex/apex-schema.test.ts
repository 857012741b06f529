import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  indexSchema,
  mergeSchemas,
  readStandardObjects
} from './apex-schema.ts';

const fixtureForceApp = new URL('./__fixtures__/force-app', import.meta.url)
  .pathname;

void describe('project schema for the field-reference check', () => {
  const schema = indexSchema(
    mergeSchemas(readStandardObjects(), fixtureForceApp)
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
    const standard = readStandardObjects();
    const before = standard.find((object) => object.name === 'Incident')?.fields
      .length;
    mergeSchemas(standard, fixtureForceApp);
    assert.equal(
      standard.find((object) => object.name === 'Incident')?.fields.length,
      before
    );
  });
});
