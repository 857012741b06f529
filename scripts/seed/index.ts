/**
 * Library entry points of the seed tooling (contract C8), each taking a jsforce Connection (or
 * an OrgClient around one, to share its call counter): seedPlan puts an incident plan into an
 * org, checkReadiness reports whether the org's plan is usable, orgKind tells production from
 * sandbox and scratch orgs; loadPlan/parsePlan read and check a plan file.
 */
export * from './seed.ts';
export { checkReadiness, type Readiness } from './readiness.ts';
export { classifyOrg, orgKind, type OrgKind } from './org-kind.ts';
export {
  formatProblem,
  loadPlan,
  parsePlan,
  PlanError,
  type PlanProblem
} from './plan.ts';
export type { Plan, PlanMember } from './plan-schema.ts';
