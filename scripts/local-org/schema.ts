/** The org's schema at start: standard objects plus force-app's custom objects, fields and relationships, as a deploy leaves them. */
import { existsSync } from 'node:fs';
import {
  loadForceAppSchema,
  type SourcePermissionSet
} from '../schema/force-app-source.ts';
import { buildRegistry, mergeFields } from '../schema/registry.ts';
import { withSetupObjects } from '../schema/setup-objects.ts';
import { loadStandardObjects } from '../schema/standard.ts';
import type { CustomMetadataRecord, SchemaRegistry } from '../schema/types.ts';

export interface OrgSchema {
  registry: SchemaRegistry;
  customMetadataRecords: CustomMetadataRecord[];
  permissionSets: SourcePermissionSet[];
}

export function loadOrgSchema(forceAppDir: string | undefined): OrgSchema {
  // The setup objects (Profile, PermissionSetAssignment...) stand beside the standard ones.
  const standard = withSetupObjects(loadStandardObjects());
  if (forceAppDir === undefined || !existsSync(forceAppDir)) {
    return {
      registry: buildRegistry(standard),
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
  return {
    registry: buildRegistry([...merged, ...source.objects]),
    customMetadataRecords: source.customMetadataRecords,
    permissionSets: source.permissionSets
  };
}
