/**
 * Development-time generator: reads the XSD segments (`wsdl_segment`) of Salesforce's Metadata
 * API reference and writes the project's own element data file, which the XML structure check
 * uses. The reference is not part of the project, so tests and checks never read it.
 *
 *   tsx scripts/verify/metadata/generate-element-data.ts [--reference DIR] [--out FILE]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { writeGeneratedJson } from '../generated-file.ts';
import {
  DEFAULT_ELEMENT_DATA_PATH,
  type ElementData,
  type ElementRule
} from './element-data.ts';

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  isArray: (name) =>
    [
      'complexType',
      'simpleType',
      'element',
      'enumeration',
      'sequence'
    ].includes(name)
});

function asNodes(value: unknown): XmlNode[] {
  const list: unknown[] = Array.isArray(value)
    ? value
    : value === undefined
      ? []
      : [value];
  return list.filter(
    (item): item is XmlNode =>
      typeof item === 'object' && item !== null && !Array.isArray(item)
  );
}

function localName(type: string): string {
  return type.slice(type.indexOf(':') + 1);
}

interface RawComplexType {
  base: string | null;
  elements: ElementRule[];
}

function elementsOf(sequenceParent: XmlNode): ElementRule[] {
  return asNodes(sequenceParent.sequence).flatMap((sequence) =>
    asNodes(sequence.element).map((element) => ({
      name: String(element.name),
      type: localName(String(element.type)),
      required: element.minOccurs !== '0',
      repeated: element.maxOccurs === 'unbounded'
    }))
  );
}

/** Parses one XSD segment (complex and simple types, no schema wrapper). */
export function parseXsdSegment(xsd: string): {
  complexTypes: Map<string, RawComplexType>;
  simpleTypes: Map<string, string[] | null>;
} {
  const doc = parser.parse(`<schema>${xsd}</schema>`) as { schema?: XmlNode };
  const schema = doc.schema ?? {};
  const complexTypes = new Map<string, RawComplexType>();
  for (const complex of asNodes(schema.complexType)) {
    const content = asNodes(complex.complexContent)[0];
    const extension = content ? asNodes(content.extension)[0] : undefined;
    complexTypes.set(String(complex.name), {
      base: extension ? localName(String(extension.base)) : null,
      elements: elementsOf(extension ?? complex)
    });
  }
  const simpleTypes = new Map<string, string[] | null>();
  for (const simple of asNodes(schema.simpleType)) {
    const restriction = asNodes(simple.restriction)[0];
    const values = restriction
      ? asNodes(restriction.enumeration).map((item) => String(item.value))
      : [];
    simpleTypes.set(String(simple.name), values.length > 0 ? values : null);
  }
  return { complexTypes, simpleTypes };
}

/** Merges a type seen in several reference files: the union keeps every documented element. */
function mergeElements(
  into: ElementRule[],
  from: ElementRule[]
): ElementRule[] {
  const merged = [...into];
  for (const rule of from) {
    if (!merged.some((existing) => existing.name === rule.name))
      merged.push(rule);
  }
  return merged;
}

export function buildElementData(xsdSegments: string[]): ElementData {
  const raw = new Map<string, RawComplexType>();
  const simpleTypes: Record<string, string[] | null> = {};
  for (const segment of xsdSegments) {
    const parsed = parseXsdSegment(segment);
    for (const [name, type] of parsed.complexTypes) {
      const existing = raw.get(name);
      raw.set(
        name,
        existing
          ? {
              base: existing.base ?? type.base,
              elements: mergeElements(existing.elements, type.elements)
            }
          : type
      );
    }
    for (const [name, values] of parsed.simpleTypes) {
      const existing = simpleTypes[name];
      simpleTypes[name] =
        existing === undefined || existing === null || values === null
          ? (existing ?? values)
          : [...new Set([...existing, ...values])];
    }
  }
  const flatten = (name: string, seen: Set<string>): ElementRule[] => {
    const type = raw.get(name);
    if (!type || seen.has(name)) return [];
    seen.add(name);
    const base = type.base ? flatten(type.base, seen) : [];
    return [...base, ...type.elements];
  };
  const extendsMetadata = (name: string): boolean => {
    let current = raw.get(name);
    const seen = new Set<string>();
    while (current?.base && !seen.has(current.base)) {
      if (current.base === 'Metadata' || current.base === 'MetadataWithContent')
        return true;
      seen.add(current.base);
      current = raw.get(current.base);
    }
    return false;
  };
  const names = [...raw.keys()].sort();
  const complexTypes: Record<string, ElementRule[]> = {};
  for (const name of names) complexTypes[name] = flatten(name, new Set());
  return {
    complexTypes,
    simpleTypes: Object.fromEntries(
      Object.keys(simpleTypes)
        .sort()
        .map((name) => [name, simpleTypes[name] ?? null])
    ),
    metadataTypes: names.filter(extendsMetadata)
  };
}

function readSegments(referenceDir: string): string[] {
  return readdirSync(referenceDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const json = JSON.parse(
        readFileSync(join(referenceDir, file), 'utf8')
      ) as {
        wsdl_segment?: unknown;
      };
      if (typeof json.wsdl_segment !== 'string') {
        throw new Error(`${join(referenceDir, file)}: no wsdl_segment`);
      }
      return json.wsdl_segment.replace(/^```xml\s*/, '').replace(/```\s*$/, '');
    });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reference: { type: 'string', default: '../shared/reference/metadata' },
      out: { type: 'string', default: DEFAULT_ELEMENT_DATA_PATH }
    }
  });
  const data = buildElementData(readSegments(resolve(values.reference)));
  await writeGeneratedJson(resolve(values.out), data);
  console.log(
    `wrote ${values.out}: ${data.metadataTypes.length} metadata types, ${Object.keys(data.complexTypes).length} complex types`
  );
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
) {
  await main();
}
