/** A bad incident plan as the CLI reports it: every problem (file, JSON path, rule), exit 2. */
import { SfError } from '@salesforce/core';
import { PlanError } from '../seed/index.ts';
import { ExitCode } from './incident-command.ts';

/** PlanError becomes a usage error carrying its problems for --json; anything else is returned as is. */
export function planUsageError(error: unknown): unknown {
  if (!(error instanceof PlanError)) return error;
  return new SfError(
    error.message,
    'PlanError',
    undefined,
    ExitCode.usage
  ).setData({
    file: error.file,
    problems: error.problems.map((problem) => ({ ...problem }))
  });
}
