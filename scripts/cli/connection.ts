/**
 * resolveConnection: turns the org flags into a jsforce Connection, the way sf commands do.
 *
 * Order (an explicit flag beats the environment, which beats the sf config, as in sf):
 * 1. --instance-url + --access-token (either may come from SF_INSTANCE_URL / SF_ACCESS_TOKEN
 *    once one of the two flags is given);
 * 2. --target-org local: the local org recorded by `incident org start`;
 * 3. --target-org <alias|username>: the sf CLI's auth store, through @salesforce/core;
 * 4. SF_INSTANCE_URL + SF_ACCESS_TOKEN, both set;
 * 5. the sf config's target-org (global or project, or SF_TARGET_ORG);
 * otherwise a usage error (exit 2) that says which flags to pass.
 *
 * Every path ends in a `jsforce` Connection, the one type the library functions take.
 * @salesforce/core's own Connection extends @jsforce/jsforce-node, a separate fork whose
 * class is not the `jsforce` one, so core only supplies credentials and, for OAuth logins,
 * its refresh function (which also saves the new token in the sf auth store).
 */
import type { AuthInfo } from '@salesforce/core';
import { Connection } from 'jsforce';
import { UsageError } from './errors.ts';
import {
  authFilePath,
  LOCAL_ORG_ALIAS,
  readLocalAuth,
  type Env
} from './local-auth.ts';
import { messages } from './messages.ts';

export const DEFAULT_API_VERSION = '64.0';

export interface OrgFlagValues {
  'target-org'?: string | undefined;
  'instance-url'?: string | undefined;
  'access-token'?: string | undefined;
  'api-version'?: string | undefined;
}

/** Where the org came from; --json output reports it, so keep it serialisable. */
export type ConnectionSource =
  | { kind: 'flags' }
  | { kind: 'environment' }
  | { kind: 'local-org'; authFile: string }
  | {
      kind: 'sf-auth';
      targetOrg: string;
      username: string;
      fromConfig: boolean;
    };

export type OrgTarget =
  | {
      kind: 'access-token';
      origin: 'flags' | 'environment';
      instanceUrl: string;
      accessToken: string;
    }
  | { kind: 'local-org' }
  | { kind: 'sf-auth'; targetOrg: string }
  | { kind: 'sf-default' };

export interface TargetChoice {
  target: OrgTarget;
  apiVersion: string;
  warnings: string[];
}

export interface ResolvedOrg {
  connection: Connection;
  apiVersion: string;
  source: ConnectionSource;
  warnings: string[];
}

/** Decides which org the flags and environment point at, without touching disk or network. */
export function chooseTarget(flags: OrgFlagValues, env: Env): TargetChoice {
  const warnings: string[] = [];
  const apiVersion = apiVersionOf(flags['api-version']);
  const targetOrg = nonEmpty(flags['target-org'], '--target-org');
  const urlFlag = nonEmpty(flags['instance-url'], '--instance-url');
  const tokenFlag = nonEmpty(flags['access-token'], '--access-token');
  const urlEnv = envValue(env, 'SF_INSTANCE_URL');
  const tokenEnv = envValue(env, 'SF_ACCESS_TOKEN');

  if (urlFlag !== undefined || tokenFlag !== undefined) {
    if (targetOrg !== undefined)
      throw new UsageError(messages.conflictingTargets);
    const instanceUrl = urlFlag ?? urlEnv;
    const accessToken = tokenFlag ?? tokenEnv;
    if (instanceUrl === undefined)
      throw new UsageError(
        messages.missingPair(
          '--access-token',
          '--instance-url',
          'SF_INSTANCE_URL'
        )
      );
    if (accessToken === undefined)
      throw new UsageError(
        messages.missingPair(
          '--instance-url',
          '--access-token',
          'SF_ACCESS_TOKEN'
        )
      );
    return {
      target: {
        kind: 'access-token',
        origin: 'flags',
        instanceUrl: instanceUrlOf(
          instanceUrl,
          urlFlag === undefined ? 'SF_INSTANCE_URL' : '--instance-url'
        ),
        accessToken
      },
      apiVersion,
      warnings
    };
  }
  if (targetOrg !== undefined)
    return {
      target:
        targetOrg === LOCAL_ORG_ALIAS
          ? { kind: 'local-org' }
          : { kind: 'sf-auth', targetOrg },
      apiVersion,
      warnings
    };
  if (urlEnv !== undefined && tokenEnv !== undefined)
    return {
      target: {
        kind: 'access-token',
        origin: 'environment',
        instanceUrl: instanceUrlOf(urlEnv, 'SF_INSTANCE_URL'),
        accessToken: tokenEnv
      },
      apiVersion,
      warnings
    };
  if (urlEnv !== undefined)
    warnings.push(
      messages.halfEnvironment('SF_INSTANCE_URL', 'SF_ACCESS_TOKEN')
    );
  if (tokenEnv !== undefined)
    warnings.push(
      messages.halfEnvironment('SF_ACCESS_TOKEN', 'SF_INSTANCE_URL')
    );
  return { target: { kind: 'sf-default' }, apiVersion, warnings };
}

/** The org the flags point at, as a jsforce Connection; errors are UsageErrors (exit 2) naming the flag. */
export async function resolveConnection(
  flags: OrgFlagValues,
  env: Env = process.env,
  cwd: string = process.cwd()
): Promise<ResolvedOrg> {
  const { target, apiVersion, warnings } = chooseTarget(flags, env);
  const credentials = await credentialsFor(target, env, cwd);
  const connection = new Connection({
    instanceUrl: credentials.instanceUrl,
    accessToken: credentials.accessToken,
    version: apiVersion,
    ...(credentials.refreshFn ? { refreshFn: credentials.refreshFn } : {})
  });
  return { connection, apiVersion, source: credentials.source, warnings };
}

type JsforceRefresh = NonNullable<
  NonNullable<ConstructorParameters<typeof Connection>[0]>['refreshFn']
>;

interface Credentials {
  instanceUrl: string;
  accessToken: string;
  source: ConnectionSource;
  refreshFn?: JsforceRefresh;
}

async function credentialsFor(
  target: OrgTarget,
  env: Env,
  cwd: string
): Promise<Credentials> {
  switch (target.kind) {
    case 'access-token':
      return {
        instanceUrl: target.instanceUrl,
        accessToken: target.accessToken,
        source: { kind: target.origin }
      };
    case 'local-org':
      return localOrgCredentials(env, cwd);
    case 'sf-auth':
      return sfCredentials(target.targetOrg, false, env, cwd);
    case 'sf-default': {
      const configured = await configuredTargetOrg();
      if (configured === undefined) throw new UsageError(messages.noTargetOrg);
      return sfCredentials(configured, true, env, cwd);
    }
  }
}

async function localOrgCredentials(
  env: Env,
  cwd: string
): Promise<Credentials> {
  const file = authFilePath(env, cwd);
  const auth = readLocalAuth(file);
  if (!auth) throw new UsageError(messages.noLocalOrg(file));
  const instanceUrl = trimSlashes(auth.instanceUrl);
  if (!(await answers(instanceUrl)))
    throw new UsageError(messages.localOrgDown(file, instanceUrl));
  return {
    instanceUrl,
    accessToken: auth.accessToken,
    source: { kind: 'local-org', authFile: file }
  };
}

/** The versions list needs no session and counts against no limit: a free liveness probe. */
async function answers(instanceUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${instanceUrl}/services/data`, {
      signal: AbortSignal.timeout(5000)
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function configuredTargetOrg(): Promise<string | undefined> {
  const { ConfigAggregator } = await import('@salesforce/core');
  const config = await ConfigAggregator.create();
  const value = config.getPropertyValue('target-org');
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function sfCredentials(
  targetOrg: string,
  fromConfig: boolean,
  env: Env,
  cwd: string
): Promise<Credentials> {
  // `sf config set target-org local` is honoured like --target-org local.
  if (targetOrg === LOCAL_ORG_ALIAS) return localOrgCredentials(env, cwd);
  // Loaded only here: @salesforce/core takes about a second to import.
  const { AuthInfo, StateAggregator } = await import('@salesforce/core');
  const state = await StateAggregator.getInstance();
  const username = state.aliases.resolveUsername(targetOrg);
  if (!(await state.orgs.hasFile(username)))
    throw new UsageError(messages.unknownTargetOrg(targetOrg, fromConfig));
  let options;
  try {
    options = (await AuthInfo.create({ username })).getConnectionOptions();
  } catch (error) {
    throw new UsageError(
      messages.sfAuthUnusable(
        targetOrg,
        error instanceof Error ? error.message : String(error)
      )
    );
  }
  const { accessToken, instanceUrl, refreshFn } = options;
  if (!accessToken || !instanceUrl)
    throw new UsageError(
      messages.sfAuthUnusable(
        targetOrg,
        'it holds no access token or instance URL'
      )
    );
  return {
    // sf stores instance URLs with a trailing slash; jsforce would then send '//services/...'.
    instanceUrl: trimSlashes(instanceUrl),
    accessToken,
    source: { kind: 'sf-auth', targetOrg, username, fromConfig },
    ...(refreshFn ? { refreshFn: adaptRefresh(refreshFn) } : {})
  };
}

type CoreRefresh = NonNullable<
  ReturnType<AuthInfo['getConnectionOptions']>['refreshFn']
>;

/** @salesforce/core's token refresh (which also saves the new token for sf) in jsforce's callback shape. */
export function adaptRefresh(refresh: CoreRefresh): JsforceRefresh {
  return (_connection, callback) => {
    // AuthInfo's refresh ignores its connection argument: it refreshes from its own fields.
    refresh(
      undefined as unknown as Parameters<CoreRefresh>[0],
      (error, token) => {
        callback(error ?? undefined, token);
        return Promise.resolve();
      }
    ).catch((error: unknown) => {
      callback(error instanceof Error ? error : new Error(String(error)));
    });
  };
}

function apiVersionOf(value: string | undefined): string {
  if (value === undefined) return DEFAULT_API_VERSION;
  if (!/^[1-9]\d*\.0$/.test(value))
    throw new UsageError(messages.badApiVersion(value));
  return value;
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError(messages.flagNeedsValue(flag));
  return value;
}

/** An exported-but-empty variable counts as unset, as in a shell's `${X:-}`. */
function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function instanceUrlOf(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(messages.badInstanceUrl(source, value));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(messages.badInstanceUrl(source, value));
  return trimSlashes(value);
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
