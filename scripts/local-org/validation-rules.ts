/**
 * force-app's validation rules, deployed into the local org and run on every save.
 *
 * At start each active `objects/<Object>/validationRules/*.validationRule-meta.xml` is parsed
 * and type-checked once (validation-formula.ts holds the supported formula subset); a rule the
 * local org cannot evaluate stops the deploy with the file and the reason, as an org refuses a
 * rule it cannot compile, rather than letting records through unchecked. dml.ts calls
 * checkValidationRules on every insert and update (REST rows, collections, composite, upserts
 * and Bulk API 2.0 rows all pass through there), after the automation and the required-field
 * checks, as the platform's order of execution runs custom validation after before-triggers.
 * A formula that is TRUE refuses the record with FIELD_CUSTOM_VALIDATION_EXCEPTION, the rule's
 * message and its error display field (none: fields []). Where the platform reports every
 * failing rule, the local org reports the first, in rule name order.
 */
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import {
  ForceAppSourceError,
  findDirectories,
  readMetadataXml
} from '../schema/force-app-source.ts';
import type {
  FieldSchema,
  FieldType,
  ObjectSchema,
  SchemaRegistry
} from '../schema/types.ts';
import { RecordError } from './errors.ts';
import type { Row, Store } from './storage.ts';
import {
  FormulaError,
  compileFormula,
  type CompiledFormula,
  type FieldBinding,
  type FormulaType,
  type FormulaValue
} from './validation-formula.ts';

/** A field a rule reads: on the record itself, or on the parent one lookup away. */
interface RuleField extends FieldBinding {
  field: FieldSchema;
  /** Set for `Lookup__r.Field`: the lookup on the record and the parent object it points to. */
  via?: { lookup: FieldSchema; parent: ObjectSchema };
}

export interface ValidationRule {
  name: string;
  sourcePath: string;
  message: string;
  displayField: string | null;
  formula: CompiledFormula<RuleField>;
}

const RULE_SUFFIX = '.validationRule-meta.xml';

/** The formula type of each field type a rule may read; the others are refused at deploy. */
const FORMULA_TYPES: Partial<Record<FieldType, FormulaType>> = {
  id: 'text',
  reference: 'text',
  string: 'text',
  textarea: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  encryptedstring: 'text',
  combobox: 'text',
  picklist: 'picklist',
  int: 'number',
  long: 'number',
  double: 'number',
  currency: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime'
};

/** Rules per object name, for each registry the org built (one per started org). */
const deployed = new WeakMap<
  SchemaRegistry,
  ReadonlyMap<string, readonly ValidationRule[]>
>();

/**
 * Reads, compiles and attaches force-app's active validation rules to the registry; throws a
 * ForceAppSourceError naming the file and the reason for the first rule it cannot deploy.
 */
export function deployValidationRules(
  forceAppDir: string,
  registry: SchemaRegistry
): void {
  const byObject = new Map<string, ValidationRule[]>();
  for (const objectsDir of findDirectories(forceAppDir, 'objects')) {
    for (const objectDir of readdirSync(objectsDir)) {
      const rulesDir = join(objectsDir, objectDir, 'validationRules');
      let files: string[];
      try {
        files = readdirSync(rulesDir).filter((f) => f.endsWith(RULE_SUFFIX));
      } catch {
        continue; // no validationRules folder for this object
      }
      for (const file of files.sort()) {
        const path = join(rulesDir, file);
        const object = registry.object(objectDir);
        if (!object)
          throw new ForceAppSourceError(path, `unknown object ${objectDir}`);
        const rule = readRule(
          path,
          file.slice(0, -RULE_SUFFIX.length),
          object,
          registry
        );
        if (rule)
          (
            byObject.get(object.name) ??
            byObject.set(object.name, []).get(object.name)
          )?.push(rule);
      }
    }
  }
  for (const rules of byObject.values())
    rules.sort((a, b) => a.name.localeCompare(b.name));
  deployed.set(registry, byObject);
}

/** The rules deployed on an object (none when the org was started without force-app). */
export function validationRulesOf(
  registry: SchemaRegistry,
  objectName: string
): readonly ValidationRule[] {
  return deployed.get(registry)?.get(objectName) ?? [];
}

function readRule(
  path: string,
  fileName: string,
  object: ObjectSchema,
  registry: SchemaRegistry
): ValidationRule | undefined {
  const xml = readMetadataXml(path, 'ValidationRule');
  const text = (name: string): string | null => {
    const value = xml[name];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  if (text('active') !== 'true') return undefined;
  const formulaText = text('errorConditionFormula');
  const message = text('errorMessage');
  if (!formulaText || !message)
    throw new ForceAppSourceError(
      path,
      'an active validation rule needs errorConditionFormula and errorMessage'
    );
  const displayName = text('errorDisplayField');
  const display = displayName
    ? registry.field(object.name, displayName)
    : undefined;
  if (displayName && !display)
    throw new ForceAppSourceError(
      path,
      `errorDisplayField: no field ${displayName} on ${object.name}`
    );
  let formula: CompiledFormula<RuleField>;
  try {
    formula = compileFormula(formulaText, (ref) =>
      resolveField(registry, object, ref)
    );
  } catch (error) {
    if (error instanceof FormulaError)
      throw new ForceAppSourceError(
        path,
        `errorConditionFormula: ${error.message}`
      );
    throw error;
  }
  if (formula.type !== 'boolean')
    throw new ForceAppSourceError(
      path,
      'errorConditionFormula: a validation rule formula must return a Checkbox (TRUE or FALSE)'
    );
  return {
    name: text('fullName') ?? fileName,
    sourcePath: path,
    message,
    displayField: display?.name ?? null,
    formula
  };
}

function bind(field: FieldSchema, ref: string): RuleField {
  const type = FORMULA_TYPES[field.type];
  if (!type)
    throw new FormulaError(
      `field ${ref} is of type ${field.type}, which the local org's formulas do not read`
    );
  return { type, field };
}

/** `Field` or one-level `Relationship.Field` (a single-target lookup), as the platform names them. */
function resolveField(
  registry: SchemaRegistry,
  object: ObjectSchema,
  ref: string
): RuleField {
  const parts = ref.split('.');
  const [first = '', second] = parts;
  if (parts.length === 1) {
    const field = registry.field(object.name, first);
    if (!field)
      throw new FormulaError(`unknown field ${ref} on ${object.name}`);
    return bind(field, ref);
  }
  const lookup = object.fields.find(
    (f) => f.relationshipName?.toLowerCase() === first.toLowerCase()
  );
  const parent =
    lookup?.referenceTo.length === 1
      ? registry.object(lookup.referenceTo[0] ?? '')
      : undefined;
  if (parts.length > 2 || !lookup || !parent || second === undefined)
    throw new FormulaError(
      `unsupported field reference ${ref} (the local org follows one single-object lookup)`
    );
  const field = registry.field(parent.name, second);
  if (!field) throw new FormulaError(`unknown field ${ref}`);
  return { ...bind(field, ref), via: { lookup, parent } };
}

/** A column value as the formula sees it: checkboxes as booleans, the rest as stored. */
function formulaValue(field: FieldSchema, value: unknown): FormulaValue {
  if (field.type === 'boolean') return value === 1 || value === true;
  if (value === undefined || value === null) return null;
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

/**
 * Refuses the save when a rule's formula is TRUE. `row` is the whole record as it will be saved
 * (merged with the stored one on update); `before` the stored record, undefined on insert.
 */
export function checkValidationRules(
  ctx: { store: Store; registry: SchemaRegistry },
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  const rules = validationRulesOf(ctx.registry, object.name);
  if (rules.length === 0) return;
  const read = (ref: RuleField, prior: boolean): FormulaValue => {
    const record = prior && before ? before : row;
    if (!ref.via) return formulaValue(ref.field, record[ref.field.name]);
    const parentId = record[ref.via.lookup.name];
    const parent =
      typeof parentId === 'string'
        ? ctx.store.get(ref.via.parent, parentId)
        : undefined;
    return formulaValue(ref.field, parent?.[ref.field.name] ?? null);
  };
  const env = { isNew: before === undefined, read };
  for (const rule of rules) {
    if (rule.formula.evaluate(env) === true)
      throw new RecordError(
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        rule.message,
        rule.displayField ? [rule.displayField] : []
      );
  }
}
