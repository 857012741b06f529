/** A value the compiled SQL can filter, sort or output: a column, a joined column or an aggregate. */
import type { FieldSchema, FieldType } from '../../schema/types.ts';

export interface Operand {
  /** SQL expression over the query's table aliases. */
  sql: string;
  type: FieldType;
  /** The field name Salesforce would print in messages, in schema casing. */
  label: string;
  /** The underlying field, for its filterable/sortable/groupable flags. */
  field: FieldSchema | null;
}

export type ValueKind =
  | 'text'
  | 'id'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'multipicklist'
  | 'other';

export function kindOf(type: FieldType): ValueKind {
  switch (type) {
    case 'string':
    case 'textarea':
    case 'picklist':
    case 'combobox':
    case 'email':
    case 'phone':
    case 'url':
    case 'encryptedstring':
      return 'text';
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'multipicklist':
      return 'multipicklist';
    default:
      return 'other';
  }
}

/** Salesforce sorts and groups text case-insensitively. */
export function collated(operand: Operand): string {
  return kindOf(operand.type) === 'text'
    ? `${operand.sql} COLLATE NOCASE`
    : operand.sql;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
