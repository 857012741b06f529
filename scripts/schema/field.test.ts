import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineField } from './field.ts';
import type { FieldSchema } from './types.ts';

/** Every member of FieldSchema, in declaration order (types.ts). */
const MEMBERS: (keyof FieldSchema)[] = [
  'name',
  'label',
  'type',
  'length',
  'precision',
  'scale',
  'createable',
  'updateable',
  'nillable',
  'defaultedOnCreate',
  'filterable',
  'sortable',
  'groupable',
  'unique',
  'externalId',
  'idLookup',
  'autoNumber',
  'calculated',
  'restrictedPicklist',
  'picklistValues',
  'defaultValue',
  'referenceTo',
  'relationshipName',
  'custom',
  'inlineHelpText'
];

void describe('defineField', () => {
  void it('gives a plain field: named label, nillable, filterable, sortable, read-only, nothing else', () => {
    assert.deepEqual(defineField('Subject', 'string'), {
      name: 'Subject',
      label: 'Subject',
      type: 'string',
      length: 0,
      precision: 0,
      scale: 0,
      createable: false,
      updateable: false,
      nillable: true,
      defaultedOnCreate: false,
      filterable: true,
      sortable: true,
      groupable: false,
      unique: false,
      externalId: false,
      idLookup: false,
      autoNumber: false,
      calculated: false,
      restrictedPicklist: false,
      picklistValues: [],
      defaultValue: null,
      referenceTo: [],
      relationshipName: null,
      custom: false,
      inlineHelpText: null
    });
  });

  void it('makes ids and references 18 characters long', () => {
    assert.equal(defineField('Id', 'id').length, 18);
    assert.equal(defineField('OwnerId', 'reference').length, 18);
    assert.equal(defineField('Amount', 'currency').length, 0);
  });

  void it('marks names ending in __c as custom', () => {
    assert.equal(defineField('Severity__c', 'double').custom, true);
    assert.equal(defineField('Severity', 'double').custom, false);
  });

  void it('applies overrides over the defaults, including the derived ones', () => {
    const field = defineField('OwnerId', 'reference', {
      label: 'Owner ID',
      length: 0,
      createable: true,
      referenceTo: ['Group', 'User'],
      relationshipName: 'Owner',
      custom: true
    });
    assert.equal(field.label, 'Owner ID');
    assert.equal(field.length, 0);
    assert.equal(field.createable, true);
    assert.equal(field.updateable, false);
    assert.deepEqual(field.referenceTo, ['Group', 'User']);
    assert.equal(field.relationshipName, 'Owner');
    assert.equal(field.custom, true);
  });

  void it('keeps the FieldSchema member order whatever order the overrides use', () => {
    const field = defineField('Status', 'picklist', {
      inlineHelpText: 'Where it stands.',
      sortable: false,
      label: 'Status'
    });
    assert.deepEqual(Object.keys(field), MEMBERS);
  });

  void it('gives every field its own arrays', () => {
    const a = defineField('A', 'picklist');
    const b = defineField('B', 'picklist');
    a.picklistValues.push({
      value: 'X',
      label: 'X',
      active: true,
      defaultValue: false
    });
    a.referenceTo.push('User');
    assert.deepEqual(b.picklistValues, []);
    assert.deepEqual(b.referenceTo, []);
  });
});
