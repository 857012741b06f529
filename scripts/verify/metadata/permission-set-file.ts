/** The parts of a `*.permissionset-meta.xml` file that the permission and reference checks read. */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

export interface FieldPermission {
  field: string;
  editable: boolean;
  readable: boolean;
}

export interface ObjectPermission {
  object: string;
  allowCreate: boolean;
  allowRead: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface PermissionSetFile {
  fieldPermissions: FieldPermission[];
  objectPermissions: ObjectPermission[];
  /** Apex classes with enabled access. */
  apexClasses: string[];
  /** Every class classAccesses names, enabled or not. */
  classesNamed: string[];
  /** applicationVisibilities' application names. */
  applications: string[];
  /** tabSettings' tab names. */
  tabs: string[];
  /** customMetadataTypeAccesses' type names. */
  customMetadataTypes: string[];
}

type Entry = Record<string, unknown>;

const REPEATED = new Set([
  'fieldPermissions',
  'objectPermissions',
  'classAccesses',
  'applicationVisibilities',
  'tabSettings',
  'customMetadataTypeAccesses'
]);

const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name)
});

const text = (entry: Entry, name: string): string => {
  const value = entry[name];
  return typeof value === 'string' ? value.trim() : '';
};
const flag = (entry: Entry, name: string): boolean =>
  text(entry, name) === 'true';

export function parsePermissionSet(xml: string): PermissionSetFile {
  const doc = parser.parse(xml) as {
    PermissionSet?: {
      fieldPermissions?: Entry[];
      objectPermissions?: Entry[];
      classAccesses?: Entry[];
      applicationVisibilities?: Entry[];
      tabSettings?: Entry[];
      customMetadataTypeAccesses?: Entry[];
    };
  };
  const root = doc.PermissionSet ?? {};
  return {
    fieldPermissions: (root.fieldPermissions ?? []).map((entry) => ({
      field: text(entry, 'field'),
      editable: flag(entry, 'editable'),
      readable: flag(entry, 'readable')
    })),
    objectPermissions: (root.objectPermissions ?? []).map((entry) => ({
      object: text(entry, 'object'),
      allowCreate: flag(entry, 'allowCreate'),
      allowRead: flag(entry, 'allowRead'),
      allowEdit: flag(entry, 'allowEdit'),
      allowDelete: flag(entry, 'allowDelete'),
      viewAllRecords: flag(entry, 'viewAllRecords'),
      modifyAllRecords: flag(entry, 'modifyAllRecords')
    })),
    apexClasses: (root.classAccesses ?? [])
      .filter((entry) => flag(entry, 'enabled'))
      .map((entry) => text(entry, 'apexClass')),
    classesNamed: (root.classAccesses ?? []).map((entry) =>
      text(entry, 'apexClass')
    ),
    applications: (root.applicationVisibilities ?? []).map((entry) =>
      text(entry, 'application')
    ),
    tabs: (root.tabSettings ?? []).map((entry) => text(entry, 'tab')),
    customMetadataTypes: (root.customMetadataTypeAccesses ?? []).map((entry) =>
      text(entry, 'name')
    )
  };
}

export function readPermissionSet(file: string): PermissionSetFile {
  return parsePermissionSet(readFileSync(file, 'utf8'));
}
