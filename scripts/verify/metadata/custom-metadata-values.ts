/**
 * Custom metadata records hold values their fields can take: the right xsi:type for the field
 * type, numbers within precision and scale, booleans for checkboxes, known picklist values,
 * text within its length, and every required field set. The org rejects the deploy otherwise.
 */
import {
  readCustomMetadataFile,
  readCustomMetadataTypeFields,
  type RawCustomMetadataValue,
  type SourceField
} from '../../schema/force-app-source.ts';
import { readSource, reportInto, type Problem } from './problems.ts';
import { packageFiles, type SfdxProject } from './project.ts';

const CHECK = 'custom-metadata-values';

/** The xsi:type a record value carries for each CustomField type. */
const XSI_TYPES: Record<string, readonly string[]> = {
  Checkbox: ['xsd:boolean'],
  Number: ['xsd:double', 'xsd:int'],
  Percent: ['xsd:double', 'xsd:int'],
  Currency: ['xsd:double', 'xsd:int'],
  Date: ['xsd:date'],
  DateTime: ['xsd:dateTime'],
  Email: ['xsd:string'],
  LongTextArea: ['xsd:string'],
  MetadataRelationship: ['xsd:string'],
  Phone: ['xsd:string'],
  Picklist: ['xsd:string'],
  Text: ['xsd:string'],
  TextArea: ['xsd:string'],
  Url: ['xsd:string']
};

const NUMBER = /^-?(\d*)(?:\.(\d*))?$/;

/** What is wrong with one non-nil value for its field, or null when it fits. */
export function valueProblem(field: SourceField, value: string): string | null {
  const { schema, metadataType } = field;
  const name = `${schema.name} (${metadataType})`;
  switch (metadataType) {
    case 'Checkbox':
      return value === 'true' || value === 'false'
        ? null
        : `${name} must be true or false, found "${value}"`;
    case 'Number':
    case 'Percent':
    case 'Currency': {
      const match = NUMBER.exec(value.trim());
      if (!match || value.trim() === '' || value.trim() === '-') {
        return `${name} must be a number, found "${value}"`;
      }
      const integerDigits = (match[1] ?? '')
        .replace(/^0+(?=\d)/, '')
        .replace(/^0$/, '').length;
      const fractionDigits = (match[2] ?? '').replace(/0+$/, '').length;
      const maxInteger = schema.precision - schema.scale;
      if (integerDigits > maxInteger || fractionDigits > schema.scale) {
        return `${name} value ${value} does not fit Number(${schema.precision},${schema.scale})`;
      }
      return null;
    }
    case 'Date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? null
        : `${name} must be YYYY-MM-DD, found "${value}"`;
    case 'DateTime':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(
        value
      )
        ? null
        : `${name} must be an ISO date-time, found "${value}"`;
    case 'Email':
      return /^[^@\s]+@[^@\s]+$/.test(value)
        ? null
        : `${name} is not an email address: "${value}"`;
    case 'Picklist': {
      const allowed = schema.picklistValues.map((entry) => entry.value);
      return allowed.includes(value)
        ? null
        : `${name} value "${value}" is not one of ${allowed.join(', ')}`;
    }
    default:
      return schema.length > 0 && value.length > schema.length
        ? `${name} is ${value.length} characters, longer than ${schema.length}`
        : null;
  }
}

function entryProblems(
  field: SourceField,
  entry: RawCustomMetadataValue
): string[] {
  if (entry.value === null) return [];
  const problems: string[] = [];
  const expected = XSI_TYPES[field.metadataType];
  if (expected && !expected.includes(entry.xsiType ?? '')) {
    problems.push(
      `${field.schema.name} (${field.metadataType}) needs xsi:type="${expected.join('" or "')}", found ${entry.xsiType ? `"${entry.xsiType}"` : 'none'}`
    );
  }
  const problem = valueProblem(field, entry.value);
  if (problem) problems.push(problem);
  return problems;
}

function isRequired(field: SourceField): boolean {
  return !field.schema.nillable && field.schema.type !== 'boolean';
}

function recordProblems(
  file: string,
  fieldsByType: Map<string, SourceField[]>
): string[] {
  const record = readCustomMetadataFile(file);
  const fields = fieldsByType.get(record.type);
  if (!fields)
    return [
      `custom metadata type ${record.type} is not defined in the project`
    ];
  const problems: string[] = [];
  if (!record.label) problems.push('the record has no <label>');
  const seen = new Set<string>();
  for (const entry of record.values) {
    const field = fields.find(
      (candidate) => candidate.schema.name === entry.field
    );
    if (!field) {
      problems.push(`${record.type} has no field ${entry.field}`);
      continue;
    }
    if (seen.has(entry.field))
      problems.push(`${entry.field} is set more than once`);
    seen.add(entry.field);
    problems.push(...entryProblems(field, entry));
  }
  for (const field of fields.filter(isRequired)) {
    const entry = record.values.find(
      (candidate) => candidate.field === field.schema.name
    );
    if (entry?.value == null) {
      problems.push(`required field ${field.schema.name} has no value`);
    }
  }
  return problems;
}

export function checkCustomMetadataValues(project: SfdxProject): Problem[] {
  const problems: Problem[] = [];
  const report = reportInto(problems, project, CHECK);
  for (const packageDir of project.packageDirs) {
    const fieldsByType = readSource(
      () => readCustomMetadataTypeFields(packageDir),
      report
    );
    if (fieldsByType === undefined) continue;
    for (const file of packageFiles(
      packageDir,
      'customMetadata',
      '.md-meta.xml'
    ).values()) {
      const messages = readSource(
        () => recordProblems(file, fieldsByType),
        report
      );
      for (const message of messages ?? []) report(file, message);
    }
  }
  return problems;
}
