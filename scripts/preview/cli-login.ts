/**
 * `npm start` logs its local org in to the sf auth store (as `incident org start` does), so the
 * CLI works on the demo data by alias while the preview runs: `npx incident … -o
 * incident-preview`, and `sf` itself. The login goes when the preview stops.
 */
import { forgetLocalOrg, registerLocalOrg } from '../cli/local-org-auth.ts';

export const PREVIEW_ORG_ALIAS = 'incident-preview';

/** Logs the org in under `alias`; resolves to the function that removes the login. */
export async function loginForCli(
  org: { instanceUrl: string; accessToken: string },
  alias: string = PREVIEW_ORG_ALIAS
): Promise<{ username: string; forget: () => Promise<void> }> {
  const login = await registerLocalOrg({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    alias
  });
  return {
    username: login.username,
    forget: () => forgetLocalOrg(login.username, org.instanceUrl)
  };
}
