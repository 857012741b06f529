/**
 * The local org in the sf auth store: an access-token login, as `sf org login access-token`
 * does, so `sf`, this plugin and jsforce (through @salesforce/core) all reach it by alias.
 */
import { AuthInfo, AuthRemover, StateAggregator } from '@salesforce/core';

export const LOCAL_ORG_ALIAS = 'incident-local';

export interface LocalOrgLogin {
  username: string;
  orgId: string;
  alias: string;
}

/** Saves the login and points `alias` at it. AuthInfo asks the org who the token belongs to. */
export async function registerLocalOrg(options: {
  instanceUrl: string;
  accessToken: string;
  alias: string;
}): Promise<LocalOrgLogin> {
  const authInfo = await AuthInfo.create({
    accessTokenOptions: {
      accessToken: options.accessToken,
      instanceUrl: options.instanceUrl,
      loginUrl: options.instanceUrl
    }
  });
  await authInfo.save();
  await authInfo.handleAliasAndDefaultSettings({
    alias: options.alias,
    setDefault: false,
    setDefaultDevHub: false
  });
  const fields = authInfo.getFields();
  return {
    username: authInfo.getUsername(),
    orgId: fields.orgId ?? '',
    alias: options.alias
  };
}

/**
 * Removes the login (and its aliases) when the org stops, unless a later `org start` of a
 * local org (same username, another port) has replaced it since.
 */
export async function forgetLocalOrg(
  username: string,
  instanceUrl: string
): Promise<void> {
  const state = await StateAggregator.getInstance();
  if (!(await state.orgs.exists(username))) return;
  const saved = (await state.orgs.read(username, false, false))?.instanceUrl;
  if (saved?.replace(/\/+$/, '') !== instanceUrl) return;
  const remover = await AuthRemover.create();
  await remover.removeAuth(username);
}
