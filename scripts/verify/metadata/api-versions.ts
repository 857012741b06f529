/**
 * Every `<apiVersion>` in the metadata equals sfdx-project.json's sourceApiVersion, so the
 * deploy and every component behave by the same release's rules.
 */
import { readFileSync } from 'node:fs';
import type { Problem } from './problems.ts';
import { displayPath, listXmlFiles, type SfdxProject } from './project.ts';

const CHECK = 'api-versions';

export function checkApiVersions(project: SfdxProject): Problem[] {
  const expected = project.sourceApiVersion;
  if (expected === null || !/^\d+\.0$/.test(expected)) {
    return [
      {
        check: CHECK,
        file: 'sfdx-project.json',
        message: `sourceApiVersion must be a version such as "64.0", found ${JSON.stringify(expected)}`
      }
    ];
  }
  const problems: Problem[] = [];
  for (const file of listXmlFiles(project)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /<apiVersion>\s*([^<]*?)\s*<\/apiVersion>/g
    )) {
      if (match[1] !== expected) {
        const line = text.slice(0, match.index).split('\n').length;
        problems.push({
          check: CHECK,
          file: displayPath(project, file),
          message: `apiVersion ${match[1] ?? ''} at line ${line} differs from sourceApiVersion ${expected}`
        });
      }
    }
  }
  return problems;
}
