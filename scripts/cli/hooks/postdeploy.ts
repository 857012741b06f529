/**
 * After `sf project deploy start` of this project, the incident plan's readiness in the org it
 * went to: the summary `incident doctor` prints. It never fails the deploy: any error is one
 * warning line.
 *
 * Which events: sf's documented `postdeploy` hook receives the deploy's DeployResult, but
 * `project deploy start` (plugin-deploy-retrieve) no longer emits it; only `project delete
 * source` does (forcedotcom/cli#3122). Every source deploy through source-deploy-retrieve
 * emits `scopedPostDeploy` with `{ deployResult, orgId }`, and SfCommand runs a plugin's hook
 * of the same name for it. package.json registers this function for both; one deploy seen
 * twice is reported once.
 */
import type { Hook } from '@oclif/core';
import {
  AuthInfo,
  ConfigAggregator,
  Messages,
  Org,
  StateAggregator
} from '@salesforce/core';
import { Ux } from '@salesforce/sf-plugins-core';
import { OrgClient } from '../../org-client/index.ts';
import { checkReadiness } from '../../seed/index.ts';
import { messageWithCauses } from '../incident-command.ts';
import { printReadiness, type ReportOutput } from '../readiness-report.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.doctor');

/** What SfCommand passes a plugin hook for a lifecycle event (sf-plugins-core's _run). */
export interface DeployHookOptions {
  argv?: string[];
  commandId?: string;
  result?: unknown;
}

/** The parts of source-deploy-retrieve's DeployResult this reads. */
interface DeployResultLike {
  response?: { success?: boolean; checkOnly?: boolean };
  getFileResponses(): { fullName: string; type: string }[];
}

/** Components only this project deploys: a deploy with none of them is someone else's. */
const PLAN_OBJECTS = new Set([
  'Incident_Severity_Rule__mdt',
  'Incident_Sla_Policy__mdt',
  'Incident_Roster_Member__c'
]);
const PLAN_RECORD_PREFIXES = [
  'Incident_Severity_Rule.',
  'Incident_Sla_Policy.'
];

/** Orgs reported in this process, so `postdeploy` and `scopedPostDeploy` of one deploy print once. */
const reported = new Set<string>();

export type ReportOutcome = 'reported' | 'skipped';

const hook: Hook<'postdeploy'> = async function (options) {
  try {
    await reportAfterDeploy(options as DeployHookOptions, new Ux());
  } catch (error) {
    this.warn(messages.getMessage('hook.failed', [messageWithCauses(error)]));
  }
};
export default hook;

/** Prints the readiness summary for a deploy of this project; throws what the hook turns into a warning. */
export async function reportAfterDeploy(
  options: DeployHookOptions,
  out: ReportOutput,
  seen: Set<string> = reported
): Promise<ReportOutcome> {
  const argv = options.argv ?? [];
  // A table in the middle of `--json` output would break the JSON a pipeline reads.
  if (argv.includes('--json')) return 'skipped';
  const { deployResult, orgId } = unwrap(options.result);
  if (!deployResult || !deployedThisProject(deployResult)) return 'skipped';
  if (
    deployResult.response?.success === false ||
    deployResult.response?.checkOnly === true
  )
    return 'skipped';
  const username = await usernameFor(orgId, argv);
  const org = await Org.create({ aliasOrUsername: username });
  // 15 characters: the org id with or without its case-safe suffix.
  const key = org.getOrgId().slice(0, 15);
  if (seen.has(key)) return 'skipped';
  seen.add(key);
  const readiness = await checkReadiness(new OrgClient(org.getConnection()));
  printReadiness(out, readiness, username);
  return 'reported';
}

function unwrap(payload: unknown): {
  deployResult?: DeployResultLike;
  orgId?: string;
} {
  if (isDeployResult(payload)) return { deployResult: payload };
  if (typeof payload === 'object' && payload !== null) {
    const scoped = payload as { deployResult?: unknown; orgId?: unknown };
    if (isDeployResult(scoped.deployResult))
      return {
        deployResult: scoped.deployResult,
        ...(typeof scoped.orgId === 'string' ? { orgId: scoped.orgId } : {})
      };
  }
  return {};
}

function isDeployResult(value: unknown): value is DeployResultLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { getFileResponses?: unknown }).getFileResponses ===
      'function'
  );
}

function deployedThisProject(result: DeployResultLike): boolean {
  return result
    .getFileResponses()
    .some(
      ({ fullName }) =>
        PLAN_OBJECTS.has(fullName) ||
        PLAN_RECORD_PREFIXES.some((prefix) => fullName.startsWith(prefix))
    );
}

/** The deploy's org: by id from the auth store, else its --target-org, else the config's target-org. */
async function usernameFor(
  orgId: string | undefined,
  argv: string[]
): Promise<string> {
  if (orgId) {
    const [auth] = await AuthInfo.listAllAuthorizations(
      (candidate) => candidate.orgId.slice(0, 15) === orgId.slice(0, 15)
    );
    if (auth) return auth.username;
  }
  const target =
    flagValue(argv, '--target-org', '-o') ??
    (await ConfigAggregator.create()).getPropertyValue<string>('target-org');
  if (typeof target !== 'string' || target === '')
    throw new Error(
      'the deploy names no --target-org and the sf config has no target-org'
    );
  const state = await StateAggregator.getInstance();
  return state.aliases.resolveUsername(target);
}

function flagValue(
  argv: string[],
  long: string,
  short: string
): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === long || arg === short) return argv[index + 1];
    if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
  }
  return undefined;
}
