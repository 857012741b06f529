/** The org's schema at start: standard objects plus force-app's custom objects, fields and relationships, as a deploy leaves them. */
import { existsSync } from 'node:fs';
import {
  loadForceAppSchema,
  type SourcePermissionSet
} from '../schema/force-app-source.ts';
import { buildRegistry, mergeFields } from '../schema/registry.ts';
import { withSetupObjects } from '../schema/setup-objects.ts';
import { loadStandardObjects } from '../schema/standard.ts';
import { deployValidationRules } from './validation-rules.ts';
import type {
  CustomMetadataRecord,
  ObjectSchema,
  SchemaRegistry
} from '../schema/types.ts';

export interface OrgSchema {
  registry: SchemaRegistry;
  customMetadataRecords: CustomMetadataRecord[];
  permissionSets: SourcePermissionSet[];
}

export interface OrgSettings {
  /** "Set Audit Fields upon Record Creation" (off by default, as on the platform). */
  setAuditFields?: boolean;
}

/**
 * The standard objects whose audit fields the setting opens (Salesforce Help, "Enable Create
 * Audit Fields", knowledge article 000386065); every custom object too, custom metadata aside.
 */
const AUDIT_FIELD_OBJECTS = new Set([
  'Account',
  'Case',
  'CaseComment',
  'Contact',
  'EmailMessage',
  'FeedItem'
]);
/** The fields "Set Audit Fields upon Record Creation" lets a client insert. */
export const AUDIT_FIELDS: ReadonlySet<string> = new Set([
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById'
]);

/** With the setting on, a client may set the audit fields on insert (never on update). */
function openAuditFields(objects: readonly ObjectSchema[]): void {
  for (const object of objects) {
    if (
      object.customMetadata ||
      !(object.custom || AUDIT_FIELD_OBJECTS.has(object.name))
    )
      continue;
    for (const field of object.fields)
      if (AUDIT_FIELDS.has(field.name)) field.createable = true;
  }
}

export function loadOrgSchema(
  forceAppDir: string | undefined,
  settings: OrgSettings = {}
): OrgSchema {
  const registryOf = (objects: ObjectSchema[]): SchemaRegistry => {
    if (settings.setAuditFields === true) openAuditFields(objects);
    return buildRegistry(objects);
  };
  // The setup objects (Profile, PermissionSetAssignment...) stand beside the standard ones.
  const standard = withSetupObjects(loadStandardObjects());
  if (forceAppDir === undefined || !existsSync(forceAppDir)) {
    return {
      registry: registryOf(standard),
      customMetadataRecords: [],
      permissionSets: []
    };
  }
  const source = loadForceAppSchema(forceAppDir);
  const merged = mergeFields(
    standard,
    new Map(Object.entries(source.fieldsOnStandardObjects))
  );
  for (const [parentName, relationships] of Object.entries(
    source.childRelationshipsOnStandardObjects
  )) {
    const parent = merged.find((o) => o.name === parentName);
    if (parent)
      parent.childRelationships = [
        ...parent.childRelationships,
        ...relationships
      ];
  }
  const registry = registryOf([...merged, ...source.objects]);
  deployValidationRules(forceAppDir, registry);
  return {
    registry,
    customMetadataRecords: source.customMetadataRecords,
    permissionSets: source.permissionSets
  };
}
