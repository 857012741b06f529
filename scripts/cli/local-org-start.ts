/**
 * Starting the local org as `incident org start` does: the org on its database, logged in to
 * the sf auth store under an alias, its call counters reset after that login (a drill counts
 * and faults its clients' calls, not the login's own) and the drill's faults armed. The command
 * and the tests that need its fixture without a child process share this one sequence.
 */
import type { FaultOptions } from '../local-org/faults.ts';
import type { LocalOrg, LocalOrgOptions } from '../local-org/server.ts';
import { registerLocalOrg } from './local-org-auth.ts';

/** What `incident org start --json` prints as soon as the org is ready (the first of two documents). */
export interface OrgStartResult {
  instanceUrl: string;
  accessToken: string;
  username: string;
  orgId: string;
  alias: string;
  dbPath: string;
  /** The --faults file, resolved; null without one. */
  faultsFile: string | null;
}

export interface StartedLocalOrg {
  org: LocalOrg;
  started: OrgStartResult;
}

export async function startRegisteredOrg(
  options: LocalOrgOptions & {
    dbPath: string;
    alias: string;
    /** The drill file `faults` was read from, reported as given. */
    faultsFile: string | null;
    faults?: FaultOptions;
  }
): Promise<StartedLocalOrg> {
  const { alias, faults, faultsFile, ...orgOptions } = options;
  // Loaded here, not at the top: every command's module is imported whenever the CLI builds
  // its command list, and the server pulls in SQLite and the SOQL engine.
  const { startLocalOrg } = await import('../local-org/server.ts');
  const org = await startLocalOrg(orgOptions);
  let login;
  try {
    login = await registerLocalOrg({
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      alias
    });
  } catch (error) {
    await org.stop();
    throw error;
  }
  org.counters.reset();
  if (faults) org.faults.configure(faults);
  return {
    org,
    started: {
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      username: login.username,
      orgId: login.orgId,
      alias: login.alias,
      dbPath: orgOptions.dbPath,
      faultsFile
    }
  };
}
