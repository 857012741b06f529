/**
 * Which fields take field-level security, and how much of it. The org refuses fieldPermissions
 * for a field that is always visible to everyone with access to its object (required fields,
 * the record's system and audit fields, platform-derived flags, standard auto-numbers) and
 * refuses edit access to fields nobody can write. Deploys fail on either, so the offline check
 * applies the same rules, read from the field's describe-shaped schema.
 */
import type { FieldSchema } from '../../schema/types.ts';

/** Fields every record carries that the platform maintains and shows to all who see the record. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'Id',
  'IsDeleted',
  'CreatedById',
  'CreatedDate',
  'LastModifiedById',
  'LastModifiedDate',
  'SystemModstamp',
  'LastViewedDate',
  'LastReferencedDate',
  'LastActivityDate'
]);

export type FieldSecurity =
  | { permissionable: true; readOnly: boolean }
  | { permissionable: false; reason: string };

/** The field-level security a permission set may grant on a field. */
export function fieldSecurity(field: FieldSchema): FieldSecurity {
  if (SYSTEM_FIELDS.has(field.name)) {
    return { permissionable: false, reason: 'is a system field' };
  }
  if (field.autoNumber && !field.custom) {
    return {
      permissionable: false,
      reason:
        'is a standard auto-number, visible to everyone who sees the record'
    };
  }
  const writable = field.createable || field.updateable;
  if (field.type === 'boolean' && !writable && !field.calculated) {
    // Flags such as IsClosed follow from other fields and are shown wherever the record is.
    return { permissionable: false, reason: 'is a flag the platform derives' };
  }
  if (
    !field.nillable &&
    field.type !== 'boolean' &&
    !field.autoNumber &&
    !field.calculated
  ) {
    return { permissionable: false, reason: 'is required' };
  }
  // Edit access covers create and update, so a create-only field (a junction's lookup) may be
  // editable; formulas, auto-numbers and platform-set fields are read only.
  return {
    permissionable: true,
    readOnly: field.calculated || field.autoNumber || !writable
  };
}
