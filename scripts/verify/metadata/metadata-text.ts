/**
 * Text values in metadata are content: the org stores a help text, description, error message
 * or formula exactly as the XML holds it, whitespace included. A formatter that treats XML
 * whitespace as insignificant (prettier's xmlWhitespaceSensitivity "ignore") wraps long values
 * onto indented lines, and the org then shows the line breaks and indentation to users, or a
 * formula compares against a literal that gained spaces. This check fails any text value that
 * starts or ends with whitespace or holds a reflow (a line break followed by indentation).
 * A line break without indentation is allowed: formulas may be written on several lines.
 */
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { reportInto, type Problem } from './problems.ts';
import { listXmlFiles, type SfdxProject } from './project.ts';

const CHECK = 'metadata-text';

/** preserveOrder output: each node is `{ [tag]: children, ':@'?: attributes }` or `{ '#text' }`. */
type OrderedNode = Record<string, unknown>;

// trimValues: false keeps the whitespace this check is about; entities are decoded, so a
// value reads as the org would store it.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false
});

const REFLOW = /\n[ \t]+\S/;

/** What is wrong with one text value, or undefined when it is clean. */
export function textValueProblem(value: string): string | undefined {
  if (/^\s/.test(value)) return 'starts with whitespace';
  if (/\s$/.test(value)) return 'ends with whitespace';
  if (REFLOW.test(value)) {
    return 'holds a reflow (a line break followed by indentation)';
  }
  return undefined;
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text');
}

function visit(
  nodes: OrderedNode[],
  path: string,
  report: (message: string) => void
): void {
  for (const node of nodes) {
    const name = elementName(node);
    if (name === undefined || name.startsWith('?')) continue;
    const children = Array.isArray(node[name])
      ? (node[name] as OrderedNode[])
      : [];
    const here = path ? `${path}/${name}` : name;
    const elements = children.filter((child) => elementName(child));
    if (elements.length > 0) {
      visit(children, here, report);
      continue;
    }
    const value = children.map((child) => String(child['#text'])).join('');
    if (value === '') continue;
    const problem = textValueProblem(value);
    if (problem) {
      const shown = value.replace(/\s+/g, ' ').trim();
      const excerpt = shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
      report(
        `<${name}> at ${here} ${problem}; the org keeps it as written ("${excerpt}")`
      );
    }
  }
}

/** Problems in one file's text values; none for malformed XML, which xml-structure reports. */
export function metadataTextProblems(xml: string): string[] {
  // fast-xml-parser 5 still ships XMLValidator; its successor package is not a dependency.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (XMLValidator.validate(xml) !== true) return [];
  const messages: string[] = [];
  visit(parser.parse(xml) as OrderedNode[], '', (message) =>
    messages.push(message)
  );
  return messages;
}

export function checkMetadataText(project: SfdxProject): Problem[] {
  const problems: Problem[] = [];
  const report = reportInto(problems, project, CHECK);
  for (const file of listXmlFiles(project)) {
    for (const message of metadataTextProblems(readFileSync(file, 'utf8'))) {
      report(file, message);
    }
  }
  return problems;
}
