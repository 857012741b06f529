/** The cases section of the incident plan file, as the link, detect and sync commands read it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadPlan } from '../seed/index.ts';
import { defaultCasesPlan, type CasesPlan } from './plan-schema.ts';

export const DEFAULT_PLAN_FILE = path.join('config', 'incident-plan.json');

/**
 * Reads the plan's cases section. Without a plan file at the default path the documented
 * defaults apply (the commands work in any directory); a plan file that is named but bad is
 * the plan loader's PlanError (file, JSON path, rule), for the command to report as exit 2.
 */
export function loadCasesPlan(file: string | undefined): CasesPlan {
  if (file === undefined && !existsSync(DEFAULT_PLAN_FILE))
    return defaultCasesPlan();
  return loadPlan(path.resolve(file ?? DEFAULT_PLAN_FILE)).cases;
}
