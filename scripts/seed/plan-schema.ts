/**
 * The incident plan file, config/incident-plan.json (contract C6): its shape, as a zod schema.
 * Shape only: value rules that the org itself enforces (matrix ranges and completeness, SLA
 * targets, shifts) are incidentRules' and are checked by validatePlan in plan.ts, so the tooling,
 * the console, the local org and Apex never disagree on them.
 */
import { z } from 'zod';
import { casesPlanSchema } from '../cases/plan-schema.ts';
import { responsePlanSchema } from '../respond/plan-schema.ts';

/** Incident_Roster_Member__c.Role__c's values. */
export const ROLES = [
  'Incident Owner',
  'Technical Expert',
  'Service Level Manager',
  'On-Duty Customer Service Manager'
] as const;
export type Role = (typeof ROLES)[number];

/** Incident.Priority's values (the data model contract). */
export const PRIORITIES = ['Critical', 'High', 'Moderate', 'Low'] as const;

/** One cell of the severity matrix: urgency and impact 1..3 (1 = High), severity 1..5. */
const cellSchema = z.strictObject({
  urgency: z.number(),
  impact: z.number(),
  severity: z.number()
});

/** SLA targets of one severity, in business minutes. */
const targetSchema = z.strictObject({
  severity: z.number(),
  responseMinutes: z.number(),
  resolutionMinutes: z.number(),
  warningPercent: z.number(),
  /** Overrides slaPolicy.businessHours for this severity. */
  businessHours: z.string().min(1).max(80).optional()
});

/** Categories, sub-categories and products the member knows; matched against incidents. */
const expertiseSchema = z.strictObject({
  categories: z.array(z.string().min(1)).default([]),
  subCategories: z.array(z.string().min(1)).default([]),
  products: z.array(z.string().min(1)).default([])
});

/** An account by Name, or by Source_Account_Key__c (the external id accounts have). */
const accountRefSchema = z.union(
  [z.string().min(1), z.strictObject({ externalKey: z.string().min(1) })],
  {
    error:
      'must be an account name or { "externalKey": "<Source_Account_Key__c>" }'
  }
);

export const memberSchema = z.strictObject({
  /** Stable key, written to External_Id__c (Text 80, unique, case-insensitive). */
  key: z
    .string()
    .max(80)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
      'must start with a letter or digit and hold only letters, digits, _ . : -'
    ),
  role: z.enum(ROLES),
  /** The member's name (the record's Name, 80 characters). */
  name: z.string().min(1).max(80),
  /** The Salesforce user: a username, or the email of exactly one user. */
  user: z.string().min(1).max(80).optional(),
  /** Where to reach the member; defaults to the user's email. */
  email: z.email().max(80).optional(),
  phone: z.string().min(1).max(40).optional(),
  expertise: expertiseSchema.optional(),
  /** Service level managers only: the account they watch. */
  account: accountRefSchema.optional(),
  active: z.boolean().default(true),
  /** Weekly on-duty hours (incidentRules' shift shape); omitted or null = always on duty. */
  shift: z.unknown().optional()
});

/** An account the plan names as a key account; created when no account has that name. */
const keyAccountSchema = z.strictObject({
  name: z.string().min(1).max(255),
  region: z.string().min(1).max(80).optional()
});

/** Customer communications (T9): the update cadence per severity and the stage templates. */
const communicationsSchema = z.strictObject({
  /** Minutes between customer updates per severity (Update_Minutes__c); null = no cadence. */
  cadence: z
    .array(
      z.strictObject({
        severity: z.number(),
        updateMinutes: z.number().nullable()
      })
    )
    .default([]),
  /** Incident_Comm_Template__mdt records, one per stage (the org's template of it is updated). */
  templates: z
    .array(
      z.strictObject({
        stage: z.enum([
          'First Alert',
          'Update',
          'Webinar Invitation',
          'Service Restored'
        ]),
        subject: z.string().min(1).max(255),
        body: z.string().min(1).max(32768)
      })
    )
    .default([])
});

export const planSchema = z.strictObject({
  severityMatrix: z.array(cellSchema),
  /** Severity ("1".."5") to Incident priority; a severity left out keeps the default. */
  priorities: z
    .partialRecord(z.enum(['1', '2', '3', '4', '5']), z.enum(PRIORITIES))
    .optional(),
  slaPolicy: z.strictObject({
    /** Name of the BusinessHours record the SLA counts in; omitted or null = the org default. */
    businessHours: z.string().min(1).max(80).nullable().optional(),
    targets: z.array(targetSchema)
  }),
  /** Key accounts (Key_Account__c) that service level managers may name. */
  keyAccounts: z.array(keyAccountSchema).optional(),
  roster: z.array(memberSchema),
  /** Customer communications: cadence and templates (optional; the deployed defaults stay). */
  communications: communicationsSchema.optional(),
  /** The response plan's steps (scripts/respond/plan-schema.ts); omitted = the org's stay. */
  responsePlan: responsePlanSchema.optional(),
  /** Owned by the cases tooling (scripts/cases/plan-schema.ts); every key has a default. */
  cases: casesPlanSchema.prefault({})
});

export type Plan = z.infer<typeof planSchema>;
export type PlanMember = Plan['roster'][number];
export type PlanTarget = Plan['slaPolicy']['targets'][number];
export type AccountRef = NonNullable<PlanMember['account']>;
