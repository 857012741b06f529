/**
 * Each permission set states field access for every custom field that takes field-level
 * security, so no field is silently invisible to its users, and grants nothing the org would
 * refuse (edit on formula or required fields, edit without read) or that automation owns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import {
  ForceAppSourceError,
  findDirectories,
  loadForceAppSchema
} from '../../schema/force-app-source.ts';
import type { FieldSchema } from '../../schema/types.ts';
import type { Problem } from './problems.ts';
import { displayPath, type SfdxProject } from './project.ts';

const CHECK = 'permission-coverage';

/** Fields the Incident trigger sets; a user edit would be overwritten or break the SLA clock. */
export const AUTOMATION_OWNED_FIELDS: readonly string[] = [
  'Incident.Severity__c',
  'Incident.Sla_Response_Due__c',
  'Incident.Sla_Resolution_Due__c',
  'Incident.Sla_Responded_At__c'
];

interface FieldPermission {
  field: string;
  editable: boolean;
  readable: boolean;
}

const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) => name === 'fieldPermissions'
});

function readFieldPermissions(file: string): FieldPermission[] {
  const doc = parser.parse(readFileSync(file, 'utf8')) as {
    PermissionSet?: { fieldPermissions?: Record<string, unknown>[] };
  };
  return (doc.PermissionSet?.fieldPermissions ?? []).map((entry) => ({
    field: typeof entry.field === 'string' ? entry.field : '',
    editable: entry.editable === 'true',
    readable: entry.readable === 'true'
  }));
}

/** Required fields are always visible and editable; the org refuses permissions for them. */
function isAlwaysAccessible(field: FieldSchema): boolean {
  return (
    !field.nillable &&
    field.type !== 'boolean' &&
    !field.autoNumber &&
    !field.calculated
  );
}

function customFieldsWithSecurity(
  packageDir: string
): Map<string, FieldSchema> {
  const schema = loadForceAppSchema(packageDir);
  const fields = new Map<string, FieldSchema>();
  const add = (objectName: string, list: FieldSchema[]): void => {
    for (const field of list) {
      if (field.custom) fields.set(`${objectName}.${field.name}`, field);
    }
  };
  // Custom metadata types are governed by customMetadataTypeAccesses, not field permissions.
  for (const object of schema.objects.filter(
    (candidate) => !candidate.customMetadata
  )) {
    add(object.name, object.fields);
  }
  for (const [objectName, list] of Object.entries(
    schema.fieldsOnStandardObjects
  )) {
    add(objectName, list);
  }
  return fields;
}

function permissionSetProblems(
  permissions: FieldPermission[],
  fields: Map<string, FieldSchema>,
  readOnlyFields: readonly string[]
): string[] {
  const problems: string[] = [];
  const byField = new Map<string, FieldPermission>();
  for (const permission of permissions) {
    if (byField.has(permission.field)) {
      problems.push(
        `fieldPermissions for ${permission.field} appear more than once`
      );
    }
    byField.set(permission.field, permission);
    const field = fields.get(permission.field);
    if (!field) {
      if (permission.field.endsWith('__c')) {
        problems.push(
          `fieldPermissions name ${permission.field}, which the project does not define`
        );
      }
      continue;
    }
    if (isAlwaysAccessible(field)) {
      problems.push(
        `${permission.field} is required; the org refuses field permissions for it`
      );
    }
    if (permission.editable && !permission.readable) {
      problems.push(`${permission.field} is editable but not readable`);
    }
    if (permission.editable && (field.calculated || field.autoNumber)) {
      problems.push(
        `${permission.field} is calculated by the platform and cannot be editable`
      );
    }
    if (permission.editable && readOnlyFields.includes(permission.field)) {
      problems.push(
        `${permission.field} is set by automation and must not be editable`
      );
    }
  }
  for (const [name, field] of fields) {
    if (!isAlwaysAccessible(field) && !byField.has(name)) {
      problems.push(`no fieldPermissions for ${name}`);
    }
  }
  return problems;
}

export function checkPermissionCoverage(
  project: SfdxProject,
  readOnlyFields: readonly string[] = AUTOMATION_OWNED_FIELDS
): Problem[] {
  const problems: Problem[] = [];
  for (const packageDir of project.packageDirs) {
    const report = (file: string, message: string): void => {
      problems.push({
        check: CHECK,
        file: displayPath(project, file),
        message
      });
    };
    let fields: Map<string, FieldSchema>;
    try {
      fields = customFieldsWithSecurity(packageDir);
    } catch (error) {
      if (!(error instanceof ForceAppSourceError)) throw error;
      report(error.file, error.message.slice(error.file.length + 2));
      continue;
    }
    for (const dir of findDirectories(packageDir, 'permissionsets')) {
      for (const name of readdirSync(dir).filter((entry) =>
        entry.endsWith('.permissionset-meta.xml')
      )) {
        const file = join(dir, name);
        for (const message of permissionSetProblems(
          readFieldPermissions(file),
          fields,
          readOnlyFields
        )) {
          report(file, message);
        }
      }
    }
  }
  return problems;
}
