/**
 * The plan file's `responsePlan` section: its problems in the plan's words (incidentRules'
 * validateResponsePlan, with JSON paths such as `responsePlan[3].trigger`), and its steps as
 * Incident_Response_Step__mdt values for the seed's Metadata API upsert.
 */
import {
  validateResponsePlan,
  type ResponseStep
} from '../../force-app/main/default/lwc/incidentRules/responsePlan.js';
import type { PlanResponseStep } from './plan-schema.ts';

export const RESPONSE_STEP_TYPE = 'Incident_Response_Step';

/** The plan file's key for each Incident_Response_Step__mdt field. */
const PLAN_KEYS: Record<string, string> = {
  DeveloperName: 'name',
  Severity__c: 'severity',
  Trigger__c: 'trigger',
  Action__c: 'action',
  Order__c: 'order',
  Status_Value__c: 'statusValue'
};

/** One problem of the section: `path` is a JSON path into the plan file. */
export interface ResponsePlanProblem {
  path: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plan step as the record validateResponsePlan reads (unchecked: values as written). */
function asRecord(step: unknown): unknown {
  if (!isRecord(step)) return step;
  return {
    DeveloperName: step.name,
    Severity__c: step.severity ?? null,
    Trigger__c: step.trigger,
    Action__c: step.action,
    Order__c: step.order,
    Status_Value__c: step.statusValue ?? null
  };
}

/**
 * The rule problems of a plan's responsePlan section (whatever its shape; zod reports the
 * shape). Nothing when the section is absent: the org's steps then stay as they are.
 */
export function responsePlanProblems(plan: unknown): ResponsePlanProblem[] {
  if (!isRecord(plan) || !Array.isArray(plan.responsePlan)) return [];
  return validateResponsePlan(plan.responsePlan.map(asRecord)).map(
    (problem) => {
      const key =
        problem.field === undefined ? undefined : PLAN_KEYS[problem.field];
      const at =
        problem.record === undefined
          ? 'responsePlan'
          : `responsePlan[${problem.record}]${key === undefined ? '' : `.${key}`}`;
      const message = problem.message
        .replace(/^Response (?:step \d+|plan): /, '')
        .replace(problem.field === undefined ? /^$/ : `${problem.field} `, '')
        .replace(
          /\bstep (\d+)\b/g,
          (_, index: string) => `responsePlan[${index}]`
        )
        .replace(/\b[A-Z][A-Za-z_]*__c\b/g, (name) => PLAN_KEYS[name] ?? name);
      return { path: at, message };
    }
  );
}

/** The label a step gets when the plan gives none: its name, underscores as spaces. */
export function stepLabel(step: PlanResponseStep): string {
  return (step.label ?? step.name.replace(/_/g, ' ')).slice(0, 40);
}

/** The plan's steps as Incident_Response_Step__mdt field values (DeveloperName aside). */
export function responseStepValues(steps: readonly PlanResponseStep[]): {
  name: string;
  label: string;
  values: Omit<ResponseStep, 'DeveloperName'>;
}[] {
  return steps.map((step) => ({
    name: step.name,
    label: stepLabel(step),
    values: {
      Severity__c: step.severity ?? null,
      Trigger__c: step.trigger,
      Action__c: step.action,
      Order__c: step.order,
      Status_Value__c: step.statusValue ?? null
    }
  }));
}
