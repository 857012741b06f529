/** The cases section of the incident plan file, as the link, detect and sync commands read it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { planUsageError } from '../cli/plan-errors.ts';
import { loadPlan } from '../seed/index.ts';
import { defaultCasesPlan, type CasesPlan } from './plan-schema.ts';

export const DEFAULT_PLAN_FILE = path.join('config', 'incident-plan.json');

/**
 * Reads the plan's cases section. Without a plan file at the default path the documented
 * defaults apply (the commands work in any directory); a bad plan file is the CLI's usage
 * error (exit 2) naming the file, the JSON path and the rule of every problem.
 */
export function loadCasesPlan(file: string | undefined): CasesPlan {
  if (file === undefined && !existsSync(DEFAULT_PLAN_FILE))
    return defaultCasesPlan();
  try {
    return loadPlan(path.resolve(file ?? DEFAULT_PLAN_FILE)).cases;
  } catch (error) {
    throw planUsageError(error);
  }
}
