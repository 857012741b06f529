import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { keyPrefixFor, loadForceAppSchema } from './force-app-source.ts';
import type { FieldSchema, ObjectSchema } from './types.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixtures = join(here, '__fixtures__', 'force-app-source');
const forceApp = join(here, '..', '..', 'force-app');

function object(objects: ObjectSchema[], name: string): ObjectSchema {
  const found = objects.find((candidate) => candidate.name === name);
  assert.ok(found, `object ${name} is loaded`);
  return found;
}

function field(fields: readonly FieldSchema[], name: string): FieldSchema {
  const found = fields.find((candidate) => candidate.name === name);
  assert.ok(found, `field ${name} is loaded`);
  return found;
}

void describe('loadForceAppSchema on a fixture project', () => {
  const schema = loadForceAppSchema(join(fixtures, 'valid'));

  void it('gives custom objects the platform system fields and deterministic key prefixes', () => {
    const widget = object(schema.objects, 'Widget__c');
    assert.equal(widget.keyPrefix, 'a01');
    assert.equal(widget.label, 'Widget');
    assert.equal(widget.labelPlural, 'Widgets');
    assert.equal(widget.customMetadata, false);
    assert.deepEqual(
      widget.fields.slice(0, 9).map((candidate) => candidate.name),
      [
        'Id',
        'Name',
        'OwnerId',
        'CreatedDate',
        'CreatedById',
        'LastModifiedDate',
        'LastModifiedById',
        'SystemModstamp',
        'IsDeleted'
      ]
    );
    const name = field(widget.fields, 'Name');
    assert.equal(name.autoNumber, true);
    assert.equal(name.createable, false);
    assert.equal(name.label, 'Widget Number');
    assert.deepEqual(field(widget.fields, 'OwnerId').referenceTo, [
      'Group',
      'User'
    ]);
  });

  void it('gives custom metadata types their own system fields and m-prefixes', () => {
    const gadget = object(schema.objects, 'Gadget__mdt');
    assert.equal(gadget.keyPrefix, 'm00');
    assert.equal(gadget.customMetadata, true);
    assert.equal(gadget.createable, false);
    assert.deepEqual(
      gadget.fields.map((candidate) => candidate.name),
      [
        'Id',
        'DeveloperName',
        'MasterLabel',
        'Label',
        'QualifiedApiName',
        'NamespacePrefix',
        'Language',
        'Enabled__c',
        'Motto__c',
        'Weight__c'
      ]
    );
  });

  void it('maps metadata field types and properties to describe shapes', () => {
    const fields = object(schema.objects, 'Widget__c').fields;
    const size = field(fields, 'Size__c');
    assert.equal(size.type, 'double');
    assert.equal(size.precision, 5);
    assert.equal(size.scale, 2);
    assert.equal(size.defaultValue, 1.5);
    assert.equal(size.inlineHelpText, 'How big.');
    assert.equal(size.custom, true);

    const code = field(fields, 'Code__c');
    assert.equal(code.type, 'string');
    assert.equal(code.length, 20);
    assert.equal(code.nillable, false);
    assert.equal(code.unique, true);
    assert.equal(code.externalId, true);
    assert.equal(code.idLookup, true);

    const colour = field(fields, 'Colour__c');
    assert.equal(colour.type, 'picklist');
    assert.equal(colour.restrictedPicklist, true);
    assert.equal(colour.defaultValue, 'Blue');
    assert.deepEqual(colour.picklistValues, [
      { value: 'Red', label: 'Red', active: true, defaultValue: false },
      { value: 'Blue', label: 'Blue sky', active: true, defaultValue: true }
    ]);

    const notes = field(fields, 'Notes__c');
    assert.equal(notes.type, 'textarea');
    assert.equal(notes.length, 32768);
    assert.equal(notes.filterable, false);

    const account = field(fields, 'Account__c');
    assert.equal(account.type, 'reference');
    assert.deepEqual(account.referenceTo, ['Account']);
    assert.equal(account.relationshipName, 'Account__r');

    const doubled = field(fields, 'Double_Size__c');
    assert.equal(doubled.calculated, true);
    assert.equal(doubled.createable, false);
    assert.equal(doubled.updateable, false);
  });

  void it('returns custom fields on standard objects and the child relationships they add', () => {
    const tier = field(schema.fieldsOnStandardObjects.Account ?? [], 'Tier__c');
    assert.equal(tier.type, 'boolean');
    assert.equal(tier.nillable, false);
    assert.equal(tier.defaultValue, false);
    assert.deepEqual(schema.childRelationshipsOnStandardObjects.Account, [
      {
        childSObject: 'Widget__c',
        field: 'Account__c',
        relationshipName: 'Widgets__r',
        cascadeDelete: false
      }
    ]);
  });

  void it('types custom metadata record values by their field types, filling absent fields', () => {
    const byName = new Map(
      schema.customMetadataRecords.map((record) => [
        record.developerName,
        record
      ])
    );
    const small = byName.get('Small');
    assert.ok(small);
    assert.equal(small.type, 'Gadget__mdt');
    assert.equal(small.label, 'Small gadget');
    assert.equal(small.protected, true);
    assert.deepEqual(small.values, {
      Enabled__c: false,
      Motto__c: null,
      Weight__c: 2.5
    });
    assert.match(small.sourcePath, /Gadget\.Small\.md-meta\.xml$/);
    assert.deepEqual(byName.get('Plain')?.values, {
      Enabled__c: true,
      Motto__c: 'Less is more',
      Weight__c: null
    });
  });
});

void describe('loadForceAppSchema errors', () => {
  void it('names the file of malformed XML', () => {
    assert.throws(
      () => loadForceAppSchema(join(fixtures, 'malformed-field')),
      /Size__c\.field-meta\.xml: malformed XML at line 2/
    );
  });

  void it('names the record file and the field a custom metadata type lacks', () => {
    assert.throws(
      () => loadForceAppSchema(join(fixtures, 'unknown-cmdt-field')),
      /Gadget\.Heavy\.md-meta\.xml: Gadget__mdt has no field Wieght__c/
    );
  });

  void it('rejects a directory that does not exist', () => {
    assert.throws(
      () => loadForceAppSchema(join(fixtures, 'nope')),
      /nope: not a directory/
    );
  });
});

void describe('keyPrefixFor', () => {
  void it('counts in base 62 and runs out after two digits', () => {
    assert.equal(keyPrefixFor('a', 1), 'a01');
    assert.equal(keyPrefixFor('a', 62), 'a10');
    assert.throws(() => keyPrefixFor('a', 62 * 62), RangeError);
  });
});

void describe('the project data model in force-app', () => {
  const schema = loadForceAppSchema(forceApp);

  void it('adds the contract fields to Incident and Case', () => {
    const incident = schema.fieldsOnStandardObjects.Incident ?? [];
    const severity = field(incident, 'Severity__c');
    assert.equal(severity.type, 'double');
    assert.equal(severity.precision, 1);
    assert.equal(severity.scale, 0);
    for (const name of [
      'Sla_Response_Due__c',
      'Sla_Resolution_Due__c',
      'Sla_Responded_At__c'
    ]) {
      const due = field(incident, name);
      assert.equal(due.type, 'datetime');
      assert.ok(due.inlineHelpText, `${name} has help text`);
    }
    const key = field(
      schema.fieldsOnStandardObjects.Case ?? [],
      'Source_Case_Key__c'
    );
    assert.equal(key.unique, true);
    assert.equal(key.externalId, true);
  });

  void it('defines the roster object with the four roles and a unique external id', () => {
    const roster = object(schema.objects, 'Incident_Roster_Member__c');
    assert.deepEqual(
      field(roster.fields, 'Role__c').picklistValues.map(
        (value) => value.value
      ),
      [
        'Incident Owner',
        'Technical Expert',
        'Service Level Manager',
        'On-Duty Customer Service Manager'
      ]
    );
    assert.deepEqual(field(roster.fields, 'User__c').referenceTo, ['User']);
    assert.deepEqual(field(roster.fields, 'Account__c').referenceTo, [
      'Account'
    ]);
    assert.equal(field(roster.fields, 'Active__c').defaultValue, true);
    assert.equal(field(roster.fields, 'Email__c').type, 'email');
    assert.equal(field(roster.fields, 'Phone__c').type, 'phone');
    assert.equal(field(roster.fields, 'Expertise__c').type, 'string');
    const external = field(roster.fields, 'External_Id__c');
    assert.equal(external.unique, true);
    assert.equal(external.externalId, true);
  });

  void it('ships the ITIL severity matrix (severity = urgency + impact - 1)', () => {
    const rules = schema.customMetadataRecords.filter(
      (record) => record.type === 'Incident_Severity_Rule__mdt'
    );
    assert.equal(rules.length, 9);
    const cells = rules
      .map((rule) => [
        rule.values.Urgency__c,
        rule.values.Impact__c,
        rule.values.Severity__c
      ])
      .sort(
        (a, b) =>
          Number(a[0]) * 10 + Number(a[1]) - (Number(b[0]) * 10 + Number(b[1]))
      );
    assert.deepEqual(cells, [
      [1, 1, 1],
      [1, 2, 2],
      [1, 3, 3],
      [2, 1, 2],
      [2, 2, 3],
      [2, 3, 4],
      [3, 1, 3],
      [3, 2, 4],
      [3, 3, 5]
    ]);
  });

  void it('ships the default SLA policy (30/240, 60/480 and 120/10,080 minutes)', () => {
    const policy = schema.customMetadataRecords
      .filter((record) => record.type === 'Incident_Sla_Policy__mdt')
      // Only the default targets; optional fields (Business_Hours__c) may be added.
      .map(
        ({
          values: {
            Severity__c,
            Response_Minutes__c,
            Resolution_Minutes__c,
            Warning_Percent__c
          }
        }) => ({
          Severity__c,
          Response_Minutes__c,
          Resolution_Minutes__c,
          Warning_Percent__c
        })
      )
      .sort((a, b) => Number(a.Severity__c) - Number(b.Severity__c));
    assert.deepEqual(policy, [
      {
        Severity__c: 1,
        Response_Minutes__c: 30,
        Resolution_Minutes__c: 240,
        Warning_Percent__c: 75
      },
      {
        Severity__c: 2,
        Response_Minutes__c: 60,
        Resolution_Minutes__c: 480,
        Warning_Percent__c: 75
      },
      {
        Severity__c: 3,
        Response_Minutes__c: 120,
        Resolution_Minutes__c: 10080,
        Warning_Percent__c: 75
      }
    ]);
  });
});
