/**
 * The `responsePlan` section of config/incident-plan.json (contract T11): the response plan's
 * steps, which `sf incident seed` writes as Incident_Response_Step__mdt records. Shape only:
 * the rules (names, severities by trigger, status values, order) are incidentRules'
 * validateResponsePlan, checked by responsePlanProblems (plan.ts), so the plan file, the local
 * org and Apex never disagree on them.
 */
import { z } from 'zod';
// Imported from the bundle's own file: TypeScript's NodeNext resolution cannot follow
// incidentRules.js's extensionless `export * from './responsePlan'` (the platform's form).
import {
  RESPONSE_ACTIONS,
  RESPONSE_TRIGGERS
} from '../../force-app/main/default/lwc/incidentRules/responsePlan.js';

// z.enum needs a non-empty tuple; the lists are frozen, non-empty and of strings.
const TRIGGERS = RESPONSE_TRIGGERS as unknown as readonly [string, ...string[]];
const ACTIONS = RESPONSE_ACTIONS as unknown as readonly [string, ...string[]];

export const responseStepSchema = z.strictObject({
  /** The record's DeveloperName: names the step in action keys, so keep it stable. */
  name: z.string(),
  /** MasterLabel (40 characters); default: the name with spaces for underscores. */
  label: z.string().min(1).max(40).optional(),
  /** 1..5; required for the severity triggers, omitted or null = any severity otherwise. */
  severity: z.number().nullable().optional(),
  trigger: z.enum(TRIGGERS),
  action: z.enum(ACTIONS),
  /** Order among the steps one trigger fires, lowest first. */
  order: z.number(),
  /** The status that fires a Status Change step. */
  statusValue: z.string().optional()
});

export const responsePlanSchema = z.array(responseStepSchema);

export type PlanResponseStep = z.infer<typeof responseStepSchema>;
