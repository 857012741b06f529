import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldSchema } from '../../schema/types.ts';
import {
  loadEditionFields,
  type EditionDependence
} from '../edition-fields.ts';
import type { ConsoleAccess } from './console-access.ts';
import { fieldSecurity } from './field-security.ts';
import { permissionSetProblems } from './permission-coverage.ts';
import { parsePermissionSet } from './permission-set-file.ts';
import { loadPermissionSchema } from './permission-schema.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
// The clean fixture defines Widget__c (Colour__c, Size__c, required Code__c) and Gadget__mdt;
// the standard objects come from scripts/schema/standard-objects.json.
const schema = loadPermissionSchema(
  join(here, '__fixtures__', 'clean', 'force-app')
);

type Access = 'read' | 'edit';
type Flag =
  | 'allowCreate'
  | 'allowDelete'
  | 'allowEdit'
  | 'allowRead'
  | 'modifyAllRecords'
  | 'viewAllRecords';
type ObjectAccess = 'read' | 'edit' | 'full' | readonly Flag[];

const fieldXml = (field: string, access: Access | 'edit-only'): string =>
  `<fieldPermissions><editable>${String(access !== 'read')}</editable>` +
  `<field>${field}</field><readable>${String(access !== 'edit-only')}</readable></fieldPermissions>`;

/** `full` is create/read/edit/delete; a list names the flags that are set. */
function objectXml(object: string, access: ObjectAccess): string {
  const flags =
    access === 'read'
      ? ['allowRead']
      : access === 'edit'
        ? ['allowRead', 'allowEdit']
        : access === 'full'
          ? ['allowRead', 'allowEdit', 'allowCreate', 'allowDelete']
          : access;
  const all: Flag[] = [
    'allowCreate',
    'allowDelete',
    'allowEdit',
    'allowRead',
    'modifyAllRecords',
    'viewAllRecords'
  ];
  return `<objectPermissions>${all
    .map((flag) => `<${flag}>${String(flags.includes(flag))}</${flag}>`)
    .join('')}<object>${object}</object></objectPermissions>`;
}

interface SetSpec {
  fields?: Record<string, Access | 'edit-only'>;
  objects?: Record<string, ObjectAccess>;
  classes?: string[];
}

/** A permission set that covers the fixture's own custom fields, plus what the spec adds. */
function permissionSet(spec: SetSpec): string {
  const fields: Record<string, Access | 'edit-only'> = {
    'Widget__c.Colour__c': 'edit',
    'Widget__c.Size__c': 'read',
    ...spec.fields
  };
  const objects: Record<string, ObjectAccess> = {
    Widget__c: 'edit',
    ...spec.objects
  };
  return `<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">${(
    spec.classes ?? []
  )
    .map(
      (name) =>
        `<classAccesses><apexClass>${name}</apexClass><enabled>true</enabled></classAccesses>`
    )
    .join('')}${Object.entries(fields)
    .map(([field, access]) => fieldXml(field, access))
    .join('')}<label>Test</label>${Object.entries(objects)
    .map(([object, access]) => objectXml(object, access))
    .join('')}</PermissionSet>`;
}

const noConsole: ConsoleAccess = {
  controller: 'NoSuchController',
  readObjects: [],
  readFields: [],
  editFields: []
};

function problems(
  spec: SetSpec,
  console: ConsoleAccess = noConsole,
  editionDependence: EditionDependence = () => undefined
): string[] {
  return permissionSetProblems(
    parsePermissionSet(permissionSet(spec)),
    schema,
    {
      automationOwned: [],
      console,
      editionDependence
    }
  );
}

void describe('edition-dependent standard fields', () => {
  void it('rejects field permissions on Incident.BusinessHoursId, which the core Incident object lacks', () => {
    assert.deepEqual(
      problems(
        {
          fields: {
            'Incident.BusinessHoursId': 'read',
            'Incident.Category': 'read'
          },
          objects: { Incident: 'read' }
        },
        noConsole,
        loadEditionFields()
      ),
      [
        'Incident.BusinessHoursId may not exist in the target org (entitlement and SLA milestone field of incidents: present only with the IT service incident features, not on the core Incident object); a permission set naming it fails the whole deploy there'
      ]
    );
  });
});

void describe('field permissions on standard fields', () => {
  void it('accepts permissionable standard fields, including create-only junction lookups', () => {
    assert.deepEqual(
      problems({
        fields: {
          'Incident.Category': 'edit',
          'Incident.DetectedDateTime': 'read',
          'Incident.MilestoneStatus': 'read',
          'IncidentRelatedItem.Product2Id': 'edit'
        },
        objects: { Incident: 'edit', IncidentRelatedItem: 'full' }
      }),
      []
    );
  });

  void it('rejects a misspelled standard field and suggests the real one', () => {
    assert.deepEqual(
      problems({
        fields: { 'Incident.Urgencyy': 'read' },
        objects: { Incident: 'read' }
      }),
      [
        'fieldPermissions name Incident.Urgencyy is neither a field force-app defines nor a standard field of Incident (did you mean Incident.Urgency?)'
      ]
    );
  });

  void it('rejects an editable standard auto-number', () => {
    assert.deepEqual(
      problems({
        fields: { 'Incident.IncidentNumber': 'edit' },
        objects: { Incident: 'edit' }
      }),
      [
        'Incident.IncidentNumber is a standard auto-number, visible to everyone who sees the record; the org refuses field permissions for it'
      ]
    );
  });

  void it('rejects edit on a standard field nobody can write', () => {
    assert.deepEqual(
      problems({
        fields: { 'Incident.MilestoneStatus': 'edit' },
        objects: { Incident: 'edit' }
      }),
      [
        'Incident.MilestoneStatus is neither createable nor updateable and cannot be editable'
      ]
    );
  });

  void it('rejects required, system and derived standard fields', () => {
    assert.deepEqual(
      problems({
        fields: {
          'Incident.Urgency': 'edit',
          'Incident.CreatedDate': 'read',
          'Case.IsClosed': 'read',
          'Account.Name': 'read'
        },
        objects: { Incident: 'edit', Case: 'read', Account: 'read' }
      }),
      [
        'Incident.Urgency is required; the org refuses field permissions for it',
        'Incident.CreatedDate is a system field; the org refuses field permissions for it',
        'Case.IsClosed is a flag the platform derives; the org refuses field permissions for it',
        'Account.Name is required; the org refuses field permissions for it'
      ]
    );
  });

  void it('rejects objects outside force-app and the standard schema', () => {
    assert.deepEqual(
      problems({
        fields: { 'Widgte__c.Colour__c': 'read', 'Opportunity.Amount': 'read' },
        objects: { Widgte__c: 'read', Opportunity: 'read' }
      }),
      [
        'fieldPermissions name Widgte__c is neither an object in force-app nor a standard object in scripts/schema/standard-objects.json (did you mean Widget__c?)',
        'fieldPermissions name Opportunity is neither an object in force-app nor a standard object in scripts/schema/standard-objects.json',
        'objectPermissions name Widgte__c is neither an object in force-app nor a standard object in scripts/schema/standard-objects.json (did you mean Widget__c?)',
        'objectPermissions name Opportunity is neither an object in force-app nor a standard object in scripts/schema/standard-objects.json'
      ]
    );
  });

  void it('sends custom metadata types to customMetadataTypeAccesses', () => {
    assert.deepEqual(
      problems({
        fields: { 'Gadget__mdt.Weight__c': 'read' },
        objects: { Gadget__mdt: 'read' }
      }),
      [
        'Gadget__mdt.Weight__c belongs to a custom metadata type: grant customMetadataTypeAccesses instead',
        'Gadget__mdt is a custom metadata type: grant customMetadataTypeAccesses instead'
      ]
    );
  });

  void it('rejects the same field twice', () => {
    const xml = permissionSet({}).replace(
      '<label>',
      `${fieldXml('Widget__c.Size__c', 'read')}<label>`
    );
    assert.deepEqual(
      permissionSetProblems(parsePermissionSet(xml), schema, {
        automationOwned: [],
        console: noConsole,
        editionDependence: () => undefined
      }),
      ['fieldPermissions for Widget__c.Size__c appear more than once']
    );
  });
});

void describe('object permissions', () => {
  void it('enforces the dependencies between object flags', () => {
    assert.deepEqual(
      problems({
        objects: {
          Case: ['allowEdit'],
          Account: ['allowRead', 'allowDelete'],
          Contact: ['allowRead', 'allowEdit', 'allowDelete', 'modifyAllRecords']
        }
      }),
      [
        'objectPermissions for Case: allowEdit needs allowRead',
        'objectPermissions for Account: allowDelete needs allowEdit',
        'objectPermissions for Contact: modifyAllRecords needs allowDelete and viewAllRecords'
      ]
    );
  });

  void it('requires the object access that field access depends on', () => {
    assert.deepEqual(
      problems({
        fields: { 'Incident.Category': 'read', 'Case.Subject': 'edit' },
        objects: { Case: 'read' }
      }),
      [
        'Incident.Category is readable but the permission set grants no read on Incident',
        'Case.Subject is editable but the permission set grants neither create nor edit on Case'
      ]
    );
  });
});

void describe('console access', () => {
  const access: ConsoleAccess = {
    controller: 'ConsoleController',
    readObjects: ['Incident', 'CaseRelatedIssue'],
    readFields: ['Incident.Category', 'Incident.Subject'],
    editFields: ['Incident.Urgency', 'Incident.Description']
  };

  void it('lists what a console permission set lacks', () => {
    assert.deepEqual(
      problems(
        { classes: ['ConsoleController'], objects: { Incident: 'read' } },
        access
      ),
      [
        'ConsoleController users need read access to CaseRelatedIssue',
        'ConsoleController users need read access to Incident.Category',
        'ConsoleController users need edit access to Incident to edit Incident.Urgency',
        'ConsoleController users need edit access to Incident to edit Incident.Description',
        'ConsoleController users need edit access to Incident.Description'
      ]
    );
  });

  void it('lets required fields such as Subject and Urgency follow object access', () => {
    assert.deepEqual(
      problems(
        {
          classes: ['ConsoleController'],
          fields: {
            'Incident.Category': 'read',
            'Incident.Description': 'edit'
          },
          objects: { Incident: 'edit', CaseRelatedIssue: 'full' }
        },
        access
      ),
      []
    );
  });

  void it('applies only to permission sets with access to the console controller', () => {
    assert.deepEqual(problems({ classes: ['Other'] }, access), []);
  });

  void it('reports a console field the schema does not know', () => {
    assert.deepEqual(
      problems(
        {
          classes: ['ConsoleController'],
          objects: { Incident: 'edit', CaseRelatedIssue: 'read' }
        },
        { ...access, readFields: ['Incident.Sevrity__c'], editFields: [] }
      ),
      [
        'ConsoleController users need Incident.Sevrity__c, but Incident.Sevrity__c is neither a field force-app defines nor a standard field of Incident'
      ]
    );
  });
});

void describe('field security rules', () => {
  const custom = (extra: Partial<FieldSchema>): FieldSchema => {
    const base = schema.field('Widget__c.Colour__c');
    assert.ok('found' in base);
    return { ...base.found, ...extra };
  };

  void it('lets a custom auto-number be read but not edited', () => {
    assert.deepEqual(
      fieldSecurity(
        custom({
          autoNumber: true,
          nillable: false,
          createable: false,
          updateable: false
        })
      ),
      { permissionable: true, readOnly: true }
    );
  });

  void it('makes formulas read only and required custom fields unpermissionable', () => {
    assert.deepEqual(
      fieldSecurity(
        custom({ calculated: true, createable: false, updateable: false })
      ),
      { permissionable: true, readOnly: true }
    );
    assert.deepEqual(fieldSecurity(custom({ nillable: false })), {
      permissionable: false,
      reason: 'is required'
    });
  });
});
