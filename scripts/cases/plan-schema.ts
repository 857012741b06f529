/**
 * The `cases` section of config/incident-plan.json (contract C6): how link, detect and sync
 * behave. Every key is optional; the defaults here are the product's documented behaviour, so a
 * plan without a cases section works as the README describes.
 */
import { z } from 'zod';

/** A duration as people write it: 90m, 24h, 2d (minutes, hours, days). */
export const durationText = z
  .string()
  .regex(/^\d+(\.\d+)?\s*[mhd]$/, 'expected a duration such as 90m, 24h or 2d');

/** The deployment levels detect can group new cases by. */
export const GROUP_LEVELS = ['asset', 'product', 'region'] as const;
export type GroupLevel = (typeof GROUP_LEVELS)[number];

export const casesPlanSchema = z
  .object({
    /** CaseRelatedIssue.RelationshipType of the links link and detect --create make. */
    relationshipType: z.enum(['Root Cause', 'Similar']).default('Root Cause'),
    link: z
      .object({
        /** How far before the incident's DetectedDateTime a case may have been opened. */
        window: durationText.default('24h')
      })
      .strict()
      .prefault({}),
    detect: z
      .object({
        /** Levels to group by, each counted on its own; a storm already reported at an earlier level is not reported again. */
        groupBy: z
          .array(z.enum(GROUP_LEVELS))
          .min(1)
          .refine((levels) => new Set(levels).size === levels.length, {
            message: 'each level at most once'
          })
          .default(['asset', 'product', 'region']),
        /** New cases in one group within the window that make a storm. */
        threshold: z.int().min(2).default(10),
        /** The sliding window the threshold counts in. */
        window: durationText.default('1h'),
        /** How far back detect reads new cases. */
        lookback: durationText.default('24h'),
        /** Impact "many customers are affected" from this many distinct accounts. */
        manyCustomers: z.int().min(1).default(5),
        /** Impact "someone is, or may be, injured" when a subject contains one of these (case-insensitive, word start). */
        safetyWords: z
          .array(z.string().min(1))
          .default([
            'fire',
            'smoke',
            'injur',
            'shock',
            'burn',
            'spark',
            'explo'
          ]),
        /** Urgency "it affects key customers" when an account of the storm has Key_Account__c. */
        keyAccountsUrgent: z.boolean().default(true),
        /** Urgency "the damage can grow quickly" when the storm's newest window holds this many times the threshold. */
        growthFactor: z.number().min(1).default(2)
      })
      .strict()
      .prefault({}),
    sync: z
      .object({
        /** Above this many changed cases a run uses Bulk API 2.0, below it sObject Collections. */
        bulkThreshold: z.int().min(1).default(2000)
      })
      .strict()
      .prefault({})
  })
  .strict();

export type CasesPlan = z.infer<typeof casesPlanSchema>;

/** The plan with every default, for callers that have no plan file. */
export function defaultCasesPlan(): CasesPlan {
  return casesPlanSchema.parse({});
}
