/**
 * Offline metadata checks for a Salesforce DX project.
 *
 *   tsx scripts/verify/metadata/index.ts [--root DIR]
 *
 * Prints each problem as `file: message [check]`; exits 0 when clean, 1 on problems, 2 on bad
 * usage or an unreadable project.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkApiVersions } from './api-versions.ts';
import { checkCustomFieldObjects } from './custom-field-objects.ts';
import { checkCustomMetadataValues } from './custom-metadata-values.ts';
import { checkDeployPackage } from './deploy-package.ts';
import { loadElementData, type ElementData } from './element-data.ts';
import { checkFormulaPicklists } from './formula-picklists.ts';
import { checkMetadataReferences } from './metadata-references.ts';
import { checkMetadataText } from './metadata-text.ts';
import { checkPermissionCoverage } from './permission-coverage.ts';
import { formatProblem, type Problem } from './problems.ts';
import { ProjectError, readProject } from './project.ts';
import { checkScratchDefinition } from './scratch-definition.ts';
import { checkXmlStructure } from './xml-structure.ts';

export const CHECK_NAMES = [
  'deploy-package',
  'xml-structure',
  'metadata-text',
  'formula-picklists',
  'custom-metadata-values',
  'api-versions',
  'permission-coverage',
  'metadata-references',
  'scratch-definition',
  'custom-field-objects'
] as const;

/** Runs every metadata check on the project at root. */
export async function runMetadataChecks(
  root: string,
  elementData: ElementData = loadElementData()
): Promise<Problem[]> {
  const project = readProject(root);
  return [
    ...(await checkDeployPackage(project)),
    ...checkXmlStructure(project, elementData),
    ...checkMetadataText(project),
    ...checkFormulaPicklists(project),
    ...checkCustomMetadataValues(project),
    ...checkApiVersions(project),
    ...checkPermissionCoverage(project),
    ...checkMetadataReferences(project),
    ...checkScratchDefinition(project, elementData),
    ...checkCustomFieldObjects(project)
  ];
}

async function main(argv: string[]): Promise<number> {
  let root: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { root: { type: 'string', default: '.' } },
      strict: true,
      allowPositionals: false
    });
    root = resolve(values.root);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error('usage: tsx scripts/verify/metadata/index.ts [--root DIR]');
    return 2;
  }
  let problems: Problem[];
  try {
    problems = await runMetadataChecks(root);
  } catch (error) {
    if (error instanceof ProjectError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  for (const problem of problems) console.log(formatProblem(problem));
  console.log(
    problems.length === 0
      ? `metadata: ${CHECK_NAMES.length} checks passed`
      : `metadata: ${problems.length} problem(s)`
  );
  return problems.length === 0 ? 0 : 1;
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
) {
  process.exitCode = await main(process.argv.slice(2));
}
