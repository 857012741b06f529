/** What `incident org display` shows about an org: two API calls, userinfo and limits. */
import type { Connection } from '@salesforce/core';

export interface ApiAllowance {
  max: number;
  remaining: number;
}

export interface OrgDetails {
  orgId: string;
  userId: string;
  username: string;
  instanceUrl: string;
  apiVersion: string;
  /** null when the org's /limits has no DailyApiRequests entry. */
  dailyApiRequests: ApiAllowance | null;
}

/** The OpenID Connect userinfo fields this needs; the platform sends many more. */
interface UserInfo {
  organization_id: string;
  user_id: string;
  preferred_username: string;
}

export async function fetchOrgDetails(conn: Connection): Promise<OrgDetails> {
  // userinfo answers with the session's user and org in one call (jsforce's identity() needs two).
  const user = await conn.request<UserInfo>('/services/oauth2/userinfo');
  // Read after userinfo, so the remaining count includes this command's own calls.
  const limits = await conn.limits();
  const daily = limits.DailyApiRequests;
  return {
    orgId: user.organization_id,
    userId: user.user_id,
    username: user.preferred_username,
    // sf stores instance URLs with a trailing slash.
    instanceUrl: conn.instanceUrl.replace(/\/+$/, ''),
    apiVersion: conn.getApiVersion(),
    dailyApiRequests: daily
      ? { max: daily.Max, remaining: daily.Remaining }
      : null
  };
}
