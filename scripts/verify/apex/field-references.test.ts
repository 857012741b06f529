import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineField } from '../../schema/field.ts';
import { parseApex } from './apex-parser.ts';
import { editionDependence } from '../edition-fields.ts';
import { indexSchema } from './apex-schema.ts';
import { fieldReferenceProblems } from './field-references.ts';
import type {
  ChildRelationship,
  FieldSchema,
  ObjectSchema
} from '../../schema/types.ts';

function field(
  name: string,
  reference?: { to: string[]; relationship: string }
): FieldSchema {
  return defineField(name, reference ? 'reference' : 'string', {
    length: 255,
    createable: true,
    updateable: true,
    groupable: true,
    referenceTo: reference?.to ?? [],
    relationshipName: reference?.relationship ?? null
  });
}

function object(
  name: string,
  fields: FieldSchema[],
  childRelationships: ChildRelationship[] = []
): ObjectSchema {
  return {
    name,
    label: name,
    labelPlural: name,
    keyPrefix: '000',
    custom: name.endsWith('__c'),
    customSetting: false,
    customMetadata: name.endsWith('__mdt'),
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    fields,
    childRelationships
  };
}

/** A small data model with every kind of relationship the checker follows. */
const schema = indexSchema(
  [
    object(
      'Incident',
      [
        field('Id'),
        field('Subject'),
        field('Urgency'),
        field('Severity__c'),
        field('BusinessHoursId', {
          to: ['BusinessHours'],
          relationship: 'BusinessHours'
        }),
        field('OwnerId', { to: ['User', 'Group'], relationship: 'Owner' }),
        field('ParentIncidentId', {
          to: ['Incident'],
          relationship: 'ParentIncident'
        })
      ],
      [
        {
          childSObject: 'CaseRelatedIssue',
          field: 'RelatedIssueId',
          relationshipName: 'CaseRelatedIssues',
          cascadeDelete: false
        }
      ]
    ),
    object('CaseRelatedIssue', [
      field('Id'),
      field('CaseId', { to: ['Case'], relationship: 'Case' }),
      field('RelatedIssueId', {
        to: ['Incident'],
        relationship: 'RelatedIssue'
      })
    ]),
    object('Case', [
      field('Id'),
      field('Subject'),
      field('AccountId', { to: ['Account'], relationship: 'Account' })
    ]),
    object('Account', [field('Id'), field('Name')]),
    object('User', [field('Id'), field('Name'), field('Email')]),
    object('Group', [field('Id'), field('Name')]),
    object('Incident_Severity_Rule__mdt', [
      field('Id'),
      field('DeveloperName'),
      field('Severity__c')
    ]),
    object('BusinessHours', [field('Id'), field('IsDefault')])
  ],
  editionDependence({
    description: 'test data',
    fields: { 'Incident.BusinessHoursId': 'only with entitlements' }
  })
);

/** The problem messages for one method body wrapped in a class. */
async function problemsIn(body: string, members = ''): Promise<string[]> {
  const source = `public with sharing class Sample {\n${members}\n  public static void run() {\n${body}\n  }\n}\n`;
  const parsed = await parseApex(source);
  assert.ok(parsed.ok, `fixture must parse: ${JSON.stringify(parsed)}`);
  return fieldReferenceProblems('Sample.cls', parsed.ast, schema).map(
    (problem) => `${problem.line}: ${problem.message}`
  );
}

void describe('field references in SOQL', () => {
  void it('accepts fields, parent paths, polymorphic paths, child subqueries and semi-joins', async () => {
    const problems = await problemsIn(`
      List<Incident> rows = [
        SELECT Id, Severity__c, Owner.Name, Owner.Email, ParentIncident.Subject,
          (SELECT Id, Case.Account.Name FROM CaseRelatedIssues)
        FROM Incident
        WHERE Urgency = 'High' AND Id IN (SELECT RelatedIssueId FROM CaseRelatedIssue)
        ORDER BY Subject
        LIMIT :rows.size() OFFSET :rows.size()
      ];
      List<Case> cases = [SELECT c.Subject, Case.Account.Name FROM Case c];`);
    assert.deepEqual(problems, []);
  });

  void it('reports an unknown field with the object and the line it is on', async () => {
    const problems = await problemsIn(`
      List<Incident> rows = [SELECT Id,
        Severity_Typo__c FROM Incident];`);
    assert.deepEqual(problems, [
      '6: unknown field Incident.Severity_Typo__c (SOQL)'
    ]);
  });

  void it('reports unknown fields in WHERE, ORDER BY, relationship paths and subqueries', async () => {
    const problems = await problemsIn(`
      List<Incident> rows = [SELECT Id, Owner.Phone, Nope__r.Name, (SELECT Id, Missing__c FROM CaseRelatedIssues), (SELECT Id FROM NoSuchChildren) FROM Incident WHERE Impactt = 'High' ORDER BY Colour__c];`);
    assert.deepEqual(problems.sort(), [
      '5: unknown child relationship Incident.NoSuchChildren (SOQL subquery)',
      '5: unknown field CaseRelatedIssue.Missing__c (SOQL)',
      '5: unknown field Incident.Colour__c (SOQL)',
      '5: unknown field Incident.Impactt (SOQL)',
      '5: unknown field User|Group.Phone (SOQL)',
      '5: unknown relationship Incident.Nope__r (SOQL)'
    ]);
  });

  void it('reports an unknown object in FROM, including in a semi-join', async () => {
    const problems = await problemsIn(`
      List<Incident> rows = [SELECT Id FROM Incident WHERE Id IN (SELECT IssueId FROM CaseRelatedIssuez)];
      List<SObject> others = [SELECT Id FROM Incidnet];`);
    assert.deepEqual(problems, [
      '5: unknown object CaseRelatedIssuez (SOQL FROM)',
      '6: unknown object Incidnet (SOQL FROM)'
    ]);
  });
});

void describe('field tokens', () => {
  void it('accepts every spelling of a token for an existing field, and type-level calls', async () => {
    const problems = await problemsIn(`
      Object a = Incident.Severity__c;
      Object b = Schema.Incident.Urgency;
      Object c = Incident.fields.Severity__c;
      Object d = Schema.SObjectType.Incident.fields.Subject;
      Object e = Incident.SObjectType;
      Object f = Incident.Severity__c.getDescribe();
      Object g = Schema.SObjectType.Incident.isUpdateable();
      Object h = Incident_Severity_Rule__mdt.getAll();
      Object i = BusinessHours.addGmt(null, null, 0);`);
    assert.deepEqual(problems, []);
  });

  void it('reports tokens naming missing fields', async () => {
    const problems = await problemsIn(`
      Object a = Incident.Severity_Typo__c;
      Object b = Schema.Incident.Urgencyy;
      Object c = Incident.fields.Sev__c;
      Object d = Schema.SObjectType.Incident.fields.Subjekt;`);
    assert.deepEqual(problems, [
      '5: unknown field Incident.Severity_Typo__c (field token)',
      '6: unknown field Incident.Urgencyy (field token)',
      '7: unknown field Incident.Sev__c (field token)',
      '8: unknown field Incident.Subjekt (field token)'
    ]);
  });

  void it('does not read a variable that hides an object name as a token', async () => {
    const problems = await problemsIn(`
      Map<String, Object> incident = new Map<String, Object>();
      Object value = incident.keySet();`);
    assert.deepEqual(problems, []);
  });
});

void describe('fields of typed records', () => {
  void it('follows declarations, loops, casts, list elements, map values, parent relationships and members', async () => {
    const problems = await problemsIn(
      `
      Incident one = new Incident(Subject = 'x', Severity__c = 1);
      one.Severity__c = 2;
      String ownerName = one.Owner.Name;
      for (Incident each : [SELECT Id FROM Incident]) { each.Urgency = 'High'; }
      Object viaCast = ((Incident) records[0]).Subject;
      Object viaList = incidents[0].Severity__c;
      Object viaMap = byId.get(one.Id).Subject;
      Object viaGet = one.get('Severity__c');
      one.put('Urgency', 'Low');
      SObject parent = one.getSObject('ParentIncident');
      List<SObject> links = one.getSObjects('CaseRelatedIssues');
      Object fromField = current.Subject;`,
      `  private static Incident current;
  private static List<SObject> records;
  private static List<Incident> incidents;
  private static Map<Id, Incident> byId;`
    );
    assert.deepEqual(problems, []);
  });

  void it('reports misspelled fields on typed records, in new(...) and in get/put literals', async () => {
    const problems = await problemsIn(
      `
      Incident one = new Incident(Subjekt = 'x');
      one.Severity_Typo__c = 2;
      String ownerName = one.Owner.Nickname;
      for (Incident each : incidents) { each.Urgncy = 'High'; }
      Object viaGet = one.get('Sevrity__c');
      one.put('Impactt', 'Low');
      SObject parent = one.getSObject('Parent');
      List<SObject> links = one.getSObjects('Links');
      Object fromMember = current.Subjct;`,
      `  private static Incident current;
  private static List<Incident> incidents;`
    );
    assert.deepEqual(problems, [
      '6: unknown field Incident.Subjekt (new Incident(...))',
      '7: unknown field Incident.Severity_Typo__c (field)',
      '8: unknown field User|Group.Nickname (field)',
      '9: unknown field Incident.Urgncy (field)',
      "10: unknown field Incident.Sevrity__c (get('Sevrity__c'))",
      "11: unknown field Incident.Impactt (put('Impactt'))",
      "12: unknown relationship Incident.Parent in getSObject('Parent')",
      "13: unknown child relationship Incident.Links in getSObjects('Links')",
      '14: unknown field Incident.Subjct (field)'
    ]);
  });

  void it('types calls by the return type of project methods and single-row queries', async () => {
    const problems = await problemsIn(
      `
      Object own = reload(null).Severity_Typo__c;
      Object other = Helper.first().Subjekt;
      Object row = [SELECT Subject FROM Incident LIMIT 1].Urgncy;
      Object fine = reload(null).Subject;`,
      `  private static Incident reload(Id recordId) { return null; }
  public class Helper { public Incident first() { return null; } }`
    );
    assert.deepEqual(problems, [
      '6: unknown field Incident.Severity_Typo__c (field)',
      '7: unknown field Incident.Subjekt (field)',
      '8: unknown field Incident.Urgncy (field)'
    ]);
  });

  void it('reports name = value construction of an object the schema lacks', async () => {
    const problems = await problemsIn(`
      SObject row = new Incidnet(Subject = 'x');`);
    assert.deepEqual(problems, [
      '5: unknown object Incidnet (new ...(field = value))'
    ]);
  });

  void it('leaves generic SObject values and non-sObject types alone', async () => {
    const problems = await problemsIn(`
      SObject anything = null;
      Object value = anything.get('Whatever__c');
      String text = 'abc';
      Integer size = text.length();`);
    assert.deepEqual(problems, []);
  });

  void it('types Trigger.new and Trigger.newMap by the trigger object', async () => {
    const parsed = await parseApex(
      'trigger IncidentTrigger on Incident (before insert) {\n  for (Incident each : Trigger.new) {}\n  Object bad = Trigger.new[0].Severity_Typo__c;\n  Object good = Trigger.newMap.get(null).Subject;\n}\n'
    );
    assert.ok(parsed.ok);
    const problems = fieldReferenceProblems(
      'IncidentTrigger.trigger',
      parsed.ast,
      schema
    );
    assert.deepEqual(
      problems.map((problem) => `${problem.line}: ${problem.message}`),
      ['3: unknown field Incident.Severity_Typo__c (field)']
    );
  });
});

void describe('edition-dependent fields', () => {
  void it('fails every static use: SOQL, relationship paths, typed access, tokens and new(...)', async () => {
    const problems = await problemsIn(`
      List<Incident> rows = [SELECT BusinessHoursId, BusinessHours.IsDefault FROM Incident];
      Id hours = rows[0].BusinessHoursId;
      Object token = Incident.BusinessHoursId;
      Incident made = new Incident(BusinessHoursId = hours);`);
    const because =
      'may not exist in the target org (only with entitlements); a static reference';
    assert.deepEqual(problems.sort(), [
      `5: Incident.BusinessHoursId ${because} (SOQL relationship) fails the whole deploy there: read it dynamically (describe, then SObject.get)`,
      `5: Incident.BusinessHoursId ${because} (SOQL) fails the whole deploy there: read it dynamically (describe, then SObject.get)`,
      `6: Incident.BusinessHoursId ${because} (field) fails the whole deploy there: read it dynamically (describe, then SObject.get)`,
      `7: Incident.BusinessHoursId ${because} (field token) fails the whole deploy there: read it dynamically (describe, then SObject.get)`,
      `8: Incident.BusinessHoursId ${because} (new Incident(...)) fails the whole deploy there: read it dynamically (describe, then SObject.get)`
    ]);
  });

  void it('accepts dynamic access through get, put and isSet', async () => {
    const problems = await problemsIn(`
      Incident row = new Incident(Subject = 'x');
      Object hours = row.get('BusinessHoursId');
      row.put('BusinessHoursId', hours);
      Boolean isSet = row.isSet('BusinessHoursId');`);
    assert.deepEqual(problems, []);
  });
});
