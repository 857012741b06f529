/**
 * Starting the local org as `incident org start` does: the org on its database, logged in to
 * the sf auth store under an alias, its call counters reset after that login (a drill counts
 * and faults its clients' calls, not the login's own) and the drill's faults armed. The command
 * and the tests that need its fixture without a child process share this one sequence.
 */
import type { FaultOptions } from '../local-org/faults.ts';
import type { LocalOrg, LocalOrgOptions } from '../local-org/server.ts';
import { registerLocalOrg } from './local-org-auth.ts';

export interface StartedLocalOrg {
  org: LocalOrg;
  login: Awaited<ReturnType<typeof registerLocalOrg>>;
}

export async function startRegisteredOrg(
  options: LocalOrgOptions & { alias: string; faults?: FaultOptions }
): Promise<StartedLocalOrg> {
  const { alias, faults, ...orgOptions } = options;
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
  return { org, login };
}
