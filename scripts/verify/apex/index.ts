/**
 * Offline Apex checks: every class and trigger parses; PMD's security, performance, best
 * practice and error-prone rules find nothing of severity 1-2 and no parse error; every field
 * the code references exists in force-app or in Salesforce's standard schema.
 *
 *   node --import tsx scripts/verify/apex/index.ts [--only parse,pmd,fields] [--force-app DIR]
 *        [--apex DIR] [--pmd-rules FILE]
 *
 * Exit 0 when clean, 1 when a check finds problems, 2 on bad usage.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listApexFiles } from './apex-files.ts';
import { parseApexFiles } from './apex-parser.ts';
import { loadProjectSchema } from './apex-schema.ts';
import { fieldReferenceProblems, indexMethods } from './field-references.ts';
import { syntaxProblems } from './parse-check.ts';
import { readPmdRuleConfig, runPmd } from './pmd-check.ts';
import { byLocation, formatProblem } from './problem.ts';
import type { Problem } from './problem.ts';

const CHECKS = ['parse', 'pmd', 'fields'] as const;
type Check = (typeof CHECKS)[number];

export interface ApexCheckOptions {
  checks: Set<Check>;
  /** Source tree the data model is read from. */
  forceAppDir: string;
  /** Where the Apex files are; the force-app tree unless a test points elsewhere. */
  apexDir: string;
  pmdRulesFile: string | undefined;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE =
  'usage: index.ts [--only parse,pmd,fields] [--force-app DIR] [--apex DIR] [--pmd-rules FILE]';

export function parseArguments(argv: readonly string[]): ApexCheckOptions {
  const options: ApexCheckOptions = {
    checks: new Set(CHECKS),
    forceAppDir: 'force-app',
    apexDir: '',
    pmdRulesFile: undefined
  };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = argv[index + 1];
    const needValue = (): string => {
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`${String(flag)} needs a value`);
      index++;
      return value;
    };
    switch (flag) {
      case '--only': {
        const names = needValue().split(',');
        const unknown = names.filter(
          (name) => !(CHECKS as readonly string[]).includes(name)
        );
        if (unknown.length > 0)
          throw new UsageError(
            `unknown check ${unknown.join(', ')}; checks: ${CHECKS.join(', ')}`
          );
        options.checks = new Set(names as Check[]);
        break;
      }
      case '--force-app':
        options.forceAppDir = needValue();
        break;
      case '--apex':
        options.apexDir = needValue();
        break;
      case '--pmd-rules':
        options.pmdRulesFile = needValue();
        break;
      default:
        throw new UsageError(`unknown argument ${String(flag)}`);
    }
  }
  if (options.apexDir === '') options.apexDir = options.forceAppDir;
  return options;
}

export interface CheckOutcome {
  check: Check;
  problems: Problem[];
  /** One line about what was checked, for the log. */
  summary: string;
  seconds: number;
}

/** Runs the chosen checks; the files are parsed once and shared by the parse and field checks. */
export async function runApexChecks(
  options: ApexCheckOptions
): Promise<CheckOutcome[]> {
  const files = listApexFiles(options.apexDir).map(
    (file) => relative(process.cwd(), file) || file
  );
  const outcomes: CheckOutcome[] = [];
  const timed = async (
    check: Check,
    body: () => Promise<{ problems: Problem[]; summary: string }>
  ): Promise<void> => {
    if (!options.checks.has(check)) return;
    const started = performance.now();
    const { problems, summary } = await body();
    outcomes.push({
      check,
      problems: problems.sort(byLocation),
      summary,
      seconds: (performance.now() - started) / 1000
    });
  };

  const parseStarted = performance.now();
  const parsed =
    options.checks.has('parse') || options.checks.has('fields')
      ? await parseApexFiles(files)
      : [];
  const parseSeconds = (performance.now() - parseStarted) / 1000;
  await timed('parse', () =>
    Promise.resolve({
      problems: syntaxProblems(parsed),
      summary: `${files.length} Apex files parsed`
    })
  );
  const parseOutcome = outcomes.find((outcome) => outcome.check === 'parse');
  if (parseOutcome) parseOutcome.seconds += parseSeconds;
  await timed('pmd', async () => {
    const rules = readPmdRuleConfig(options.pmdRulesFile);
    if (files.length === 0) return { problems: [], summary: 'no Apex files' };
    const report = await runPmd(files, rules);
    const advisory = report.findings.filter(
      (finding) => finding.severity > rules.failAtSeverity
    );
    const byRule = new Map<string, number>();
    for (const finding of advisory)
      byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
    const notes = [...byRule]
      .map(([rule, count]) => `${rule} ×${count}`)
      .join(', ');
    return {
      problems: report.problems,
      summary: `${report.ruleNames.length} PMD rules over ${files.length} files; severity 1-${rules.failAtSeverity} fails${notes ? `; not blocking: ${notes}` : ''}`
    };
  });
  await timed('fields', () => {
    const schema = loadProjectSchema(options.forceAppDir);
    const units = parsed.flatMap(({ result }) =>
      result.ok ? [result.ast] : []
    );
    const methods = indexMethods(units);
    const problems = parsed.flatMap(({ file, result }) =>
      result.ok ? fieldReferenceProblems(file, result.ast, schema, methods) : []
    );
    const skipped = parsed.filter(({ result }) => !result.ok).length;
    return Promise.resolve({
      problems,
      summary: `field references in ${parsed.length - skipped} files checked${skipped > 0 ? ` (${skipped} unparsable skipped)` : ''}`
    });
  });
  return outcomes;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: ApexCheckOptions;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  let outcomes: CheckOutcome[];
  try {
    outcomes = await runApexChecks(options);
  } catch (error) {
    // Whatever stops the checks from running (the Apex parser missing, unreadable source) is a
    // setup problem, not a finding: exit 2.
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  let failed = false;
  for (const outcome of outcomes) {
    const status =
      outcome.problems.length === 0
        ? 'ok'
        : `${outcome.problems.length} problem(s)`;
    console.log(
      `apex ${outcome.check}: ${status} — ${outcome.summary} (${outcome.seconds.toFixed(1)}s)`
    );
    for (const problem of outcome.problems)
      console.log(`  ${formatProblem(problem)}`);
    failed ||= outcome.problems.length > 0;
  }
  return failed ? 1 : 0;
}

if (
  process.argv[1] !== undefined &&
  fileURLToPath(import.meta.url) === process.argv[1]
) {
  process.exitCode = await main(process.argv.slice(2));
}
