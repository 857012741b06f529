/** `incident seed`: the incident plan into an org (a thin command over scripts/seed's seedPlan). */
import path from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { OrgClient } from '../../../org-client/index.ts';
import {
  loadPlan,
  orgKind,
  seedPlan,
  type SeedChange,
  type SeedResult
} from '../../../seed/index.ts';
import { ExitCode, IncidentCommand } from '../../incident-command.ts';
import { planUsageError } from '../../plan-errors.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.seed');

export const DEFAULT_PLAN = path.join('config', 'incident-plan.json');

export interface SeedCommandResult extends SeedResult {
  /** The plan file, resolved. */
  plan: string;
  /** The org's username. */
  username: string;
}

export default class Seed extends IncidentCommand<SeedCommandResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    plan: Flags.file({
      char: 'p',
      summary: messages.getMessage('flags.plan.summary'),
      default: DEFAULT_PLAN
    }),
    'dry-run': Flags.boolean({
      summary: messages.getMessage('flags.dry-run.summary')
    }),
    prune: Flags.boolean({
      summary: messages.getMessage('flags.prune.summary')
    }),
    'create-users': Flags.boolean({
      summary: messages.getMessage('flags.create-users.summary')
    })
  };

  public async run(): Promise<SeedCommandResult> {
    const { flags } = await this.parse(Seed);
    if (flags.plan.trim() === '')
      throw messages.createError('error.EmptyPlan', [], [], ExitCode.usage);
    const file = path.resolve(flags.plan);
    let plan;
    try {
      plan = loadPlan(file);
    } catch (error) {
      throw planUsageError(error);
    }
    const org = flags['target-org'];
    const username = org.getUsername() ?? '';
    const client = new OrgClient(org.getConnection(flags['api-version']));

    if (flags['create-users'] && (await orgKind(client)) === 'production')
      throw messages.createError(
        'error.CreateUsersInProduction',
        [username],
        [],
        ExitCode.usage
      );

    this.spinner.start(
      messages.getMessage('spinner.seeding', [flags.plan, username])
    );
    let result: SeedResult;
    try {
      result = await seedPlan(client, plan, {
        dryRun: flags['dry-run'],
        prune: flags.prune,
        createUsers: flags['create-users'],
        file: flags.plan
      });
    } catch (error) {
      // seedPlan throws PlanError for references the org cannot resolve, before any write.
      throw planUsageError(error);
    } finally {
      this.spinner.stop();
    }

    for (const warning of result.warnings) this.warn(warning);
    this.report(result, flags.plan);
    if (result.failures.length > 0) process.exitCode = ExitCode.failed;
    return { ...result, plan: file, username };
  }

  private report(result: SeedResult, plan: string): void {
    if (result.noChanges) {
      this.log(messages.getMessage('info.noChanges', [plan]));
    } else {
      this.table({
        data: result.changes.flatMap(changeRows),
        columns: [
          { key: 'section', name: 'Section' },
          { key: 'key', name: 'Key' },
          { key: 'change', name: 'Change' },
          { key: 'field', name: 'Field' },
          { key: 'from', name: 'From' },
          { key: 'to', name: 'To' }
        ]
      });
    }
    if (result.dryRun) {
      if (!result.noChanges)
        this.log(
          messages.getMessage('info.dryRun', [
            result.changes.length,
            result.apiCalls
          ])
        );
    } else {
      const written = Object.entries(result.written).filter(
        ([, count]) => count > 0
      );
      const total = written.reduce((sum, [, count]) => sum + count, 0);
      if (total > 0)
        this.log(
          messages.getMessage('info.written', [
            total,
            written
              .map(([section, count]) => `${section} ${String(count)}`)
              .join(', '),
            result.apiCalls,
            result.retries
          ])
        );
      else if (!result.noChanges)
        this.log(
          messages.getMessage('info.wroteNothing', [
            result.apiCalls,
            result.retries
          ])
        );
    }
    if (result.failures.length > 0) {
      this.log(messages.getMessage('info.failures', [result.failures.length]));
      this.table({
        data: result.failures.flatMap((failure) =>
          failure.errors.map((error) => ({
            section: failure.section,
            key: failure.key,
            error: error.statusCode,
            message: error.message
          }))
        ),
        columns: [
          { key: 'section', name: 'Section' },
          { key: 'key', name: 'Key' },
          { key: 'error', name: 'Error' },
          { key: 'message', name: 'Message' }
        ]
      });
    }
  }
}

interface ChangeRow extends Record<string, unknown> {
  section: string;
  key: string;
  change: string;
  field: string;
  from: string;
  to: string;
}

/** One row per added or deactivated record, one per changed field. */
export function changeRows(change: SeedChange): ChangeRow[] {
  const base = { section: change.section, key: change.key };
  switch (change.kind) {
    case 'added':
      return [
        {
          ...base,
          change: messages.getMessage('change.added'),
          field: '',
          from: '',
          to: addedSummary(change.fields)
        }
      ];
    case 'changed':
      return change.fields.map((field) => ({
        ...base,
        change: messages.getMessage('change.changed'),
        field: field.field,
        from: shown(field.from),
        to: shown(field.to)
      }));
    case 'deactivated':
      return [
        {
          ...base,
          change: messages.getMessage('change.deactivated'),
          field: 'Active__c',
          from: 'true',
          to: 'false'
        }
      ];
  }
}

/** A new record by its name and how many fields it gets; --json has every field. */
function addedSummary(fields: Record<string, unknown>): string {
  const set = Object.values(fields).filter(
    (value) => value !== null && value !== undefined
  ).length;
  const name = ['Name', 'Username', 'MasterLabel']
    .map((field) => fields[field])
    .find((value) => typeof value === 'string');
  const count = messages.getMessage('change.fields', [set]);
  return name === undefined ? count : `${name} (${count})`;
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
