/**
 * The cases library (contract C8): link, detect and sync, each taking jsforce Connections (from
 * `jsforce`, or @salesforce/core's Org.getConnection()). Each run wraps its connections in the
 * shared client (C7) for retries and reports the API calls it made.
 */
import {
  OrgClient,
  type OrgClientOptions,
  type OrgConnection
} from '../org-client/index.ts';
import {
  detectStorms as detect,
  type DetectOptions,
  type DetectResult
} from './detect.ts';
import {
  linkCases as link,
  type LinkOptions,
  type LinkResult
} from './link.ts';
import { defaultCasesPlan, type CasesPlan } from './plan-schema.ts';
import {
  syncCases as sync,
  type SyncOptions,
  type SyncResult
} from './sync.ts';

export {
  casesPlanSchema,
  defaultCasesPlan,
  type CasesPlan
} from './plan-schema.ts';
export { CasesInputError, isInputError } from './errors.ts';
export type { DetectOptions, DetectResult, StormReport } from './detect.ts';
export type { LinkOptions, LinkResult, IncidentLinkReport } from './link.ts';
export type { SyncOptions, SyncResult } from './sync.ts';
export {
  generateStormData,
  loadStormData,
  type StormData,
  type StormDataOptions
} from './storm-data.ts';

export interface ApiUsage {
  apiCalls: number;
  callsByEndpoint: Record<string, number>;
  retries: number;
}

export interface RunOptions {
  /** The plan's cases section; its defaults when absent. */
  plan?: CasesPlan;
  client?: OrgClientOptions;
}

function usage(client: OrgClient): ApiUsage {
  return {
    apiCalls: client.apiCalls,
    callsByEndpoint: client.callsByEndpoint,
    retries: client.retries
  };
}

export async function linkCases(
  conn: OrgConnection,
  options: LinkOptions & RunOptions = {}
): Promise<LinkResult & { api: ApiUsage }> {
  const client = new OrgClient(conn, options.client);
  const result = await link(
    client,
    options.plan ?? defaultCasesPlan(),
    options
  );
  return { ...result, api: usage(client) };
}

export async function detectStorms(
  conn: OrgConnection,
  options: DetectOptions & RunOptions = {}
): Promise<DetectResult & { api: ApiUsage }> {
  const client = new OrgClient(conn, options.client);
  const result = await detect(
    client,
    options.plan ?? defaultCasesPlan(),
    options
  );
  return { ...result, api: usage(client) };
}

export async function syncCases(
  source: OrgConnection,
  hub: OrgConnection,
  options: SyncOptions & RunOptions = {}
): Promise<SyncResult & { api: { source: ApiUsage; hub: ApiUsage } }> {
  const sourceClient = new OrgClient(source, options.client);
  const hubClient = new OrgClient(hub, options.client);
  const result = await sync(
    sourceClient,
    hubClient,
    options.plan ?? defaultCasesPlan(),
    options
  );
  return {
    ...result,
    api: { source: usage(sourceClient), hub: usage(hubClient) }
  };
}
