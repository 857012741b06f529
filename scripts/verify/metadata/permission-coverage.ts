/**
 * Permission sets grant only what the org accepts and users need:
 * - every field and object they name exists (in force-app or the standard schema);
 * - field permissions only on fields that take them, edit only where a user can write, never on
 *   fields the automation owns;
 * - object permissions with the dependencies the org enforces (edit needs read, ...);
 * - every project custom field is covered, and field access comes with its object's access, so
 *   a permission set works on a minimal profile;
 * - a permission set that opens the incident console grants what the console reads and edits.
 */
import {
  loadEditionFields,
  type EditionDependence
} from '../edition-fields.ts';
import {
  INCIDENT_CONSOLE_ACCESS,
  type ConsoleAccess
} from './console-access.ts';
import { fieldSecurity } from './field-security.ts';
import {
  readPermissionSet,
  type FieldPermission,
  type ObjectPermission,
  type PermissionSetFile
} from './permission-set-file.ts';
import {
  checkEachPackage,
  type PermissionSchema
} from './permission-schema.ts';
import type { Problem } from './problems.ts';
import { packageFiles, type SfdxProject } from './project.ts';

const CHECK = 'permission-coverage';

/** Fields the Incident trigger sets; a user edit would be overwritten or break the SLA clock. */
export const AUTOMATION_OWNED_FIELDS: readonly string[] = [
  'Incident.Severity__c',
  'Incident.Sla_Response_Due__c',
  'Incident.Sla_Resolution_Due__c',
  'Incident.Sla_Responded_At__c'
];

export interface PermissionRules {
  automationOwned: readonly string[];
  console: ConsoleAccess;
  /** Standard fields only some orgs have; a permission set naming one fails the deploy elsewhere. */
  editionDependence: EditionDependence;
}

const DEFAULT_RULES: PermissionRules = {
  automationOwned: AUTOMATION_OWNED_FIELDS,
  console: INCIDENT_CONSOLE_ACCESS,
  editionDependence: loadEditionFields()
};

const objectOf = (field: string): string => field.slice(0, field.indexOf('.'));

function fieldPermissionProblems(
  permission: FieldPermission,
  schema: PermissionSchema,
  rules: PermissionRules
): string[] {
  const name = permission.field;
  const lookup = schema.field(name);
  if ('problem' in lookup) return [`fieldPermissions name ${lookup.problem}`];
  const object = schema.object(objectOf(name));
  if ('found' in object && object.found.customMetadata) {
    return [
      `${name} belongs to a custom metadata type: grant customMetadataTypeAccesses instead`
    ];
  }
  const reason = rules.editionDependence(
    objectOf(name),
    name.slice(name.indexOf('.') + 1)
  );
  if (reason !== undefined) {
    return [
      `${name} may not exist in the target org (${reason}); a permission set naming it fails the whole deploy there`
    ];
  }
  const security = fieldSecurity(lookup.found);
  if (!security.permissionable) {
    return [
      `${name} ${security.reason}; the org refuses field permissions for it`
    ];
  }
  const problems: string[] = [];
  if (permission.editable && !permission.readable) {
    problems.push(`${name} is editable but not readable`);
  }
  if (permission.editable && security.readOnly) {
    problems.push(
      lookup.found.calculated || lookup.found.autoNumber
        ? `${name} is calculated by the platform and cannot be editable`
        : `${name} is neither createable nor updateable and cannot be editable`
    );
  }
  if (permission.editable && rules.automationOwned.includes(name)) {
    problems.push(`${name} is set by automation and must not be editable`);
  }
  return problems;
}

/** The dependencies the org enforces between the flags of one objectPermissions entry. */
function objectFlagProblems(permission: ObjectPermission): string[] {
  const { object } = permission;
  const needs = (
    has: boolean,
    what: string,
    needed: boolean,
    dependency: string
  ) =>
    has && !needed
      ? [`objectPermissions for ${object}: ${what} needs ${dependency}`]
      : [];
  return [
    ...needs(
      permission.allowCreate,
      'allowCreate',
      permission.allowRead,
      'allowRead'
    ),
    ...needs(
      permission.allowEdit,
      'allowEdit',
      permission.allowRead,
      'allowRead'
    ),
    ...needs(
      permission.allowDelete,
      'allowDelete',
      permission.allowEdit,
      'allowEdit'
    ),
    ...needs(
      permission.viewAllRecords,
      'viewAllRecords',
      permission.allowRead,
      'allowRead'
    ),
    ...needs(
      permission.modifyAllRecords,
      'modifyAllRecords',
      permission.allowDelete && permission.viewAllRecords,
      'allowDelete and viewAllRecords'
    )
  ];
}

function objectPermissionProblems(
  permission: ObjectPermission,
  schema: PermissionSchema
): string[] {
  const object = schema.object(permission.object);
  if ('problem' in object) return [`objectPermissions name ${object.problem}`];
  if (object.found.customMetadata) {
    return [
      `${permission.object} is a custom metadata type: grant customMetadataTypeAccesses instead`
    ];
  }
  return objectFlagProblems(permission);
}

function duplicates(names: readonly string[], element: string): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const name of names) {
    if (seen.has(name))
      problems.push(`${element} for ${name} appear more than once`);
    seen.add(name);
  }
  return problems;
}

/** Field access is useless, and on a minimal profile invisible, without access to the object. */
function objectAccessProblems(set: PermissionSetFile): string[] {
  const objects = new Map(
    set.objectPermissions.map((entry) => [entry.object, entry])
  );
  const problems: string[] = [];
  for (const permission of set.fieldPermissions) {
    const object = objects.get(objectOf(permission.field));
    if (permission.readable && !object?.allowRead) {
      problems.push(
        `${permission.field} is readable but the permission set grants no read on ${objectOf(permission.field)}`
      );
    } else if (
      permission.editable &&
      !object?.allowCreate &&
      !object?.allowEdit
    ) {
      problems.push(
        `${permission.field} is editable but the permission set grants neither create nor edit on ${objectOf(permission.field)}`
      );
    }
  }
  return problems;
}

function coverageProblems(
  set: PermissionSetFile,
  schema: PermissionSchema
): string[] {
  const covered = new Set(set.fieldPermissions.map((entry) => entry.field));
  const problems: string[] = [];
  for (const [name, field] of schema.projectCustomFields()) {
    if (fieldSecurity(field).permissionable && !covered.has(name)) {
      problems.push(`no fieldPermissions for ${name}`);
    }
  }
  return problems;
}

/** A console permission set must let its users read what the console reads and edit what it edits. */
function consoleProblems(
  set: PermissionSetFile,
  schema: PermissionSchema,
  access: ConsoleAccess
): string[] {
  if (!set.apexClasses.includes(access.controller)) return [];
  const objects = new Map(
    set.objectPermissions.map((entry) => [entry.object, entry])
  );
  const fields = new Map(
    set.fieldPermissions.map((entry) => [entry.field, entry])
  );
  const problems: string[] = [];
  const missing = (what: string) =>
    problems.push(`${access.controller} users need ${what}`);
  for (const object of access.readObjects) {
    if (!objects.get(object)?.allowRead) missing(`read access to ${object}`);
  }
  const check = (name: string, edit: boolean): void => {
    const object = objects.get(objectOf(name));
    if (edit && !object?.allowEdit)
      missing(`edit access to ${objectOf(name)} to edit ${name}`);
    const lookup = schema.field(name);
    if ('problem' in lookup) {
      missing(`${name}, but ${lookup.problem}`);
      return;
    }
    // Fields without field-level security follow their object's access.
    if (!fieldSecurity(lookup.found).permissionable) return;
    const permission = fields.get(name);
    if (edit ? !permission?.editable : !permission?.readable) {
      missing(`${edit ? 'edit' : 'read'} access to ${name}`);
    }
  };
  for (const name of access.readFields) check(name, false);
  for (const name of access.editFields) check(name, true);
  return problems;
}

export function permissionSetProblems(
  set: PermissionSetFile,
  schema: PermissionSchema,
  rules: PermissionRules = DEFAULT_RULES
): string[] {
  return [
    ...duplicates(
      set.fieldPermissions.map((entry) => entry.field),
      'fieldPermissions'
    ),
    ...duplicates(
      set.objectPermissions.map((entry) => entry.object),
      'objectPermissions'
    ),
    ...set.fieldPermissions.flatMap((entry) =>
      fieldPermissionProblems(entry, schema, rules)
    ),
    ...set.objectPermissions.flatMap((entry) =>
      objectPermissionProblems(entry, schema)
    ),
    ...objectAccessProblems(set),
    ...coverageProblems(set, schema),
    ...consoleProblems(set, schema, rules.console)
  ];
}

export function checkPermissionCoverage(
  project: SfdxProject,
  rules: Partial<PermissionRules> = {}
): Problem[] {
  const effective = { ...DEFAULT_RULES, ...rules };
  return checkEachPackage(project, CHECK, (packageDir, schema, report) => {
    for (const file of packageFiles(
      packageDir,
      'permissionsets',
      '.permissionset-meta.xml'
    ).values()) {
      for (const message of permissionSetProblems(
        readPermissionSet(file),
        schema,
        effective
      )) {
        report(file, message);
      }
    }
  });
}
