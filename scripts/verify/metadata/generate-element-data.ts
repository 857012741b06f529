/**
 * Development-time generator: reads the XSD segments (`wsdl_segment`) of Salesforce's Metadata
 * API reference and writes the project's own element data file, which the XML structure check
 * uses. The reference is not part of the project, so tests and checks never read it.
 *
 * Pages written by hand in the reference's format for types the reference set lacks live in
 * reference-supplement/ beside this file (CustomPermission), each naming its Salesforce
 * source; a page of the reference with the same file name wins over one there. Without them a
 * regeneration would drop types the project deploys.
 *
 *   tsx scripts/verify/metadata/generate-element-data.ts [--reference DIR] [--out FILE] [--check]
 *
 * --check writes nothing: it exits 1 when the generated data differs from the file at --out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { formatGeneratedJson, writeGeneratedJson } from '../generated-file.ts';
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

/** Hand-written pages for types the reference set lacks (see the file comment). */
export const SUPPLEMENT_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  'reference-supplement'
);

/**
 * The XSD segments of the reference's pages and the supplement's, in file-name order; where
 * both have a page of one name, the reference's is read.
 */
export function readSegments(
  referenceDir: string,
  supplementDir?: string
): string[] {
  const pages = new Map<string, string>();
  for (const dir of [supplementDir, referenceDir]) {
    if (dir === undefined) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')))
      pages.set(file, join(dir, file));
  }
  return [...pages.keys()].sort().map((file) => {
    const path = pages.get(file) ?? file;
    const json = JSON.parse(readFileSync(path, 'utf8')) as {
      wsdl_segment?: unknown;
    };
    if (typeof json.wsdl_segment !== 'string') {
      throw new Error(`${path}: no wsdl_segment`);
    }
    return json.wsdl_segment.replace(/^```xml\s*/, '').replace(/```\s*$/, '');
  });
}

/** The element data of the reference at `referenceDir` with the project's supplement. */
export function generateElementData(
  referenceDir: string,
  supplementDir: string = SUPPLEMENT_DIR
): ElementData {
  return buildElementData(readSegments(referenceDir, supplementDir));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reference: { type: 'string', default: '../shared/reference/metadata' },
      out: { type: 'string', default: DEFAULT_ELEMENT_DATA_PATH },
      check: { type: 'boolean', default: false }
    }
  });
  const out = resolve(values.out);
  const data = generateElementData(resolve(values.reference));
  if (values.check) {
    const same =
      existsSync(out) &&
      readFileSync(out, 'utf8') === (await formatGeneratedJson(out, data));
    console.log(
      same
        ? `${values.out} is what the reference and the supplement generate`
        : `${values.out} differs from what the reference and the supplement generate; run without --check to rewrite it`
    );
    process.exitCode = same ? 0 : 1;
    return;
  }
  await writeGeneratedJson(out, data);
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
