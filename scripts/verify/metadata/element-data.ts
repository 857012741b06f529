/**
 * The shape of `scripts/verify/data/metadata-elements.json`: which child elements each
 * Metadata API type allows, derived from Salesforce's XSD by generate-element-data.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ElementRule {
  name: string;
  /** Local type name without prefix: an XSD builtin (`string`), a simple or a complex type. */
  type: string;
  required: boolean;
  repeated: boolean;
}

export interface ElementData {
  /** Complex types by name, with their elements (base type's first) in XSD order. */
  complexTypes: Record<string, ElementRule[]>;
  /** Simple types by name: their enumeration, or null when any text is allowed. */
  simpleTypes: Record<string, string[] | null>;
  /** Metadata types (complex types that extend Metadata): the root elements of source files. */
  metadataTypes: string[];
}

/** Types whose content is free-form (LWC targetConfigs, custom metadata values). */
export const OPEN_CONTENT_TYPES = new Set(['anyType', 'base64Binary']);

/** XSD builtins that hold text and no child elements. */
export const XSD_TEXT_TYPES = new Set([
  'string',
  'boolean',
  'int',
  'long',
  'double',
  'date',
  'dateTime',
  'time',
  'decimal'
]);

export const DEFAULT_ELEMENT_DATA_PATH = fileURLToPath(
  new URL('../data/metadata-elements.json', import.meta.url)
);

export function loadElementData(
  path: string = DEFAULT_ELEMENT_DATA_PATH
): ElementData {
  return JSON.parse(readFileSync(path, 'utf8')) as ElementData;
}
