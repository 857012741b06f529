/**
 * PMD's Apex rules through Salesforce Code Analyzer's core and PMD engine (bundled PMD jars,
 * the local Java; nothing is downloaded). Syntax errors do not come back as violations: PMD
 * reports them as processing errors, which the engine emits as error-level log events, so
 * those events are collected and fail the check too.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CodeAnalyzer,
  CodeAnalyzerConfig,
  EventType,
  LogLevel
} from '@salesforce/code-analyzer-core';
import type { EngineLogEvent, LogEvent } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import type { Problem } from './problem.ts';

export interface PmdRuleConfig {
  selectors: string[];
  failAtSeverity: number;
  severityOverrides: Record<string, number>;
}

export interface PmdFinding extends Problem {
  severity: number;
}

export interface PmdReport {
  /** Every violation, blocking or not. */
  findings: PmdFinding[];
  /** Violations at or above the failing severity, plus engine errors (parse errors included). */
  problems: Problem[];
  ruleNames: string[];
}

export const DEFAULT_PMD_RULES = new URL('./pmd-rules.json', import.meta.url);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and validates the rule selection, naming the file and the key on bad input. */
export function readPmdRuleConfig(
  file: string | URL = DEFAULT_PMD_RULES
): PmdRuleConfig {
  const label = file instanceof URL ? file.pathname : file;
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isRecord(data)) throw new Error(`${label}: expected a JSON object`);
  const { selectors, failAtSeverity, severityOverrides } = data;
  if (
    !Array.isArray(selectors) ||
    selectors.length === 0 ||
    !selectors.every((s) => typeof s === 'string')
  ) {
    throw new Error(
      `${label}: "selectors" must be a non-empty array of strings`
    );
  }
  const isSeverity = (value: unknown): value is number =>
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= 5;
  if (!isSeverity(failAtSeverity))
    throw new Error(`${label}: "failAtSeverity" must be 1..5`);
  const overrides: Record<string, number> = {};
  if (severityOverrides !== undefined) {
    if (!isRecord(severityOverrides))
      throw new Error(`${label}: "severityOverrides" must be an object`);
    for (const [rule, severity] of Object.entries(severityOverrides)) {
      if (!isSeverity(severity))
        throw new Error(`${label}: severityOverrides.${rule} must be 1..5`);
      overrides[rule] = severity;
    }
  }
  return {
    selectors,
    failAtSeverity,
    severityOverrides: overrides
  };
}

/** `PMD issued a processing error for file '<path>': ... at <line>:<column>` */
function engineErrorProblem(message: string): Problem {
  const file = /for file '([^']+)'/.exec(message)?.[1];
  const position = /(?:Syntax error at|line) (\d+):(\d+)/.exec(message);
  const firstLines = message
    .split('\n')
    .slice(0, 3)
    .map((line) => line.trim())
    .join(' ');
  return {
    file: file ?? '(pmd)',
    line: position ? Number(position[1]) : 0,
    ...(position ? { column: Number(position[2]) } : {}),
    rule: 'pmd-engine-error',
    message:
      firstLines.length > 400 ? `${firstLines.slice(0, 400)}…` : firstLines
  };
}

/** Runs the selected PMD rules once over all the given files. */
export async function runPmd(
  files: readonly string[],
  rules: PmdRuleConfig
): Promise<PmdReport> {
  const overrides = Object.fromEntries(
    Object.entries(rules.severityOverrides).map(([rule, severity]) => [
      rule,
      { severity }
    ])
  );
  const config = CodeAnalyzerConfig.fromObject({
    log_level: LogLevel.Warn,
    engines: {
      pmd: { rule_languages: ['apex'] },
      cpd: { disable_engine: true }
    },
    rules: { pmd: overrides }
  });
  const analyzer = new CodeAnalyzer(config);
  const engineErrors: Problem[] = [];
  analyzer.onEvent<EngineLogEvent>(EventType.EngineLogEvent, (event) => {
    if (event.logLevel === LogLevel.Error)
      engineErrors.push(engineErrorProblem(event.message));
  });
  analyzer.onEvent<LogEvent>(EventType.LogEvent, (event) => {
    if (event.logLevel === LogLevel.Error)
      engineErrors.push(engineErrorProblem(event.message));
  });
  await analyzer.addEnginePlugin(createEnginePlugin());

  const absolute = files.map((file) => resolve(file));
  const workspace = await analyzer.createWorkspace(absolute);
  const selection = await analyzer.selectRules(rules.selectors, { workspace });
  const ruleNames = selection
    .getEngineNames()
    .flatMap((engine) =>
      selection.getRulesFor(engine).map((rule) => rule.getName())
    )
    .sort();
  const unknownOverrides = Object.keys(rules.severityOverrides).filter(
    (rule) => !ruleNames.includes(rule)
  );
  if (unknownOverrides.length > 0) {
    throw new Error(
      `severityOverrides name rules that are not selected: ${unknownOverrides.join(', ')}`
    );
  }
  const results = await analyzer.run(selection, { workspace });

  const relative = new Map(
    absolute.map((file, index) => [file, files[index] ?? file])
  );
  const findings: PmdFinding[] = results.getViolations().map((violation) => {
    const location = violation.getPrimaryLocation();
    const file = location.getFile() ?? '(unknown file)';
    const column = location.getStartColumn();
    return {
      file: relative.get(file) ?? file,
      line: location.getStartLine() ?? 0,
      ...(column === undefined ? {} : { column }),
      rule: violation.getRule().getName(),
      severity: violation.getRule().getSeverityLevel(),
      message: `(severity ${violation.getRule().getSeverityLevel()}) ${violation.getMessage()}`
    };
  });
  const blocking = findings.filter(
    (finding) => finding.severity <= rules.failAtSeverity
  );
  const problems = [
    ...blocking,
    ...engineErrors.map((problem) => ({
      ...problem,
      file: relative.get(problem.file) ?? problem.file
    }))
  ];
  return { findings, problems, ruleNames };
}
