/**
 * Every XML file is well-formed and holds only the elements its Metadata API type allows, with
 * the required ones present, single elements not repeated, and enumerated values valid. The
 * converter passes a misspelled element straight through; the org then rejects the deploy.
 */
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  OPEN_CONTENT_TYPES,
  XSD_TEXT_TYPES,
  type ElementData,
  type ElementRule
} from './element-data.ts';
import type { Problem } from './problems.ts';
import { displayPath, listXmlFiles, type SfdxProject } from './project.ts';
import { closestName } from './suggest.ts';

const CHECK = 'xml-structure';
const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/** preserveOrder output: each node is `{ [tag]: children, ':@'?: attributes }` or `{ '#text' }`. */
type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  trimValues: true
});

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

function toElements(nodes: OrderedNode[]): Element[] {
  const elements: Element[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find(
      (key) => key !== ':@' && key !== '#text'
    );
    if (name === undefined || name.startsWith('?')) continue;
    const content = node[name];
    const childNodes = Array.isArray(content) ? (content as OrderedNode[]) : [];
    const text = childNodes
      .map((child) => child['#text'])
      .filter((value) => value !== undefined)
      .map(String)
      .join('');
    const attributes = (node[':@'] ?? {}) as Record<string, string>;
    elements.push({ name, attributes, children: toElements(childNodes), text });
  }
  return elements;
}

/** Edit distance, to suggest the element a misspelling meant. */
function suggestion(name: string, rules: ElementRule[]): string {
  const best = closestName(
    name,
    rules.map((rule) => rule.name)
  );
  return best ? ` (did you mean <${best}>?)` : '';
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

function checkText(
  element: Element,
  type: string,
  data: ElementData
): string | null {
  const enumeration = data.simpleTypes[type];
  if (enumeration && !enumeration.includes(element.text)) {
    return `<${element.name}> value "${element.text}" is not one of ${type}: ${enumeration.join(', ')}`;
  }
  if (
    type === 'boolean' &&
    element.text !== 'true' &&
    element.text !== 'false'
  ) {
    return `<${element.name}> must be true or false, found "${element.text}"`;
  }
  if ((type === 'int' || type === 'long') && !/^-?\d+$/.test(element.text)) {
    return `<${element.name}> must be a whole number, found "${element.text}"`;
  }
  if (type === 'double' && !NUMBER.test(element.text)) {
    return `<${element.name}> must be a number, found "${element.text}"`;
  }
  return null;
}

function checkChildren(
  element: Element,
  typeName: string,
  path: string,
  data: ElementData,
  report: (message: string) => void
): void {
  const rules = data.complexTypes[typeName] ?? [];
  const counts = new Map<string, number>();
  for (const child of element.children) {
    const childPath = `${path}/${child.name}`;
    const rule = rules.find((candidate) => candidate.name === child.name);
    if (!rule) {
      report(
        `<${child.name}> is not an element of ${typeName} at ${childPath}${suggestion(child.name, rules)}`
      );
      continue;
    }
    counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
    checkElement(child, rule.type, childPath, data, report);
  }
  for (const rule of rules) {
    const count = counts.get(rule.name) ?? 0;
    if (rule.required && count === 0) {
      report(
        `${path} lacks the required element <${rule.name}> of ${typeName}`
      );
    }
    if (!rule.repeated && count > 1) {
      report(
        `${path} has <${rule.name}> ${count} times; ${typeName} allows one`
      );
    }
  }
}

function checkElement(
  element: Element,
  type: string,
  path: string,
  data: ElementData,
  report: (message: string) => void
): void {
  if (OPEN_CONTENT_TYPES.has(type)) return;
  if (data.complexTypes[type]) {
    checkChildren(element, type, path, data, report);
    return;
  }
  const knownText = XSD_TEXT_TYPES.has(type) || type in data.simpleTypes;
  // A type the reference does not define is left unchecked rather than guessed.
  if (!knownText) return;
  if (element.children.length > 0) {
    report(`${path} holds a value of type ${type}, not elements`);
    return;
  }
  const problem = checkText(element, type, data);
  if (problem) report(`${problem} at ${path}`);
}

/** Checks one file's content; returns problem messages. */
export function checkXmlText(text: string, data: ElementData): string[] {
  // fast-xml-parser 5 still ships XMLValidator; its successor package is not a dependency.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return [`malformed XML at line ${valid.err.line}: ${valid.err.msg}`];
  }
  const roots = toElements(parser.parse(text) as OrderedNode[]);
  const root = roots[0];
  if (!root || roots.length > 1) return ['expected exactly one root element'];
  if (!data.metadataTypes.includes(root.name)) {
    return [
      `<${root.name}> is not a metadata type the element data knows; regenerate it with generate-element-data.ts from a reference that has the type, or add a page for it to scripts/verify/metadata/reference-supplement`
    ];
  }
  const messages: string[] = [];
  if (root.attributes.xmlns !== METADATA_NAMESPACE) {
    messages.push(`<${root.name}> must declare xmlns="${METADATA_NAMESPACE}"`);
  }
  checkChildren(root, root.name, root.name, data, (message) =>
    messages.push(message)
  );
  return messages;
}

export function checkXmlStructure(
  project: SfdxProject,
  data: ElementData
): Problem[] {
  return listXmlFiles(project).flatMap((file) =>
    checkXmlText(readFileSync(file, 'utf8'), data).map((message) => ({
      check: CHECK,
      file: displayPath(project, file),
      message
    }))
  );
}
