/** A rollout in its own process, for the test that kills it with SIGKILL at random points. */
import { Connection } from 'jsforce';
import { OrgClient } from '../org-client/index.ts';
import { rolloutChangeRequest } from './rollout.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const client = new OrgClient(
  new Connection({
    instanceUrl: env('ORG_URL'),
    accessToken: env('ORG_TOKEN'),
    version: '64.0'
  })
);
const result = await rolloutChangeRequest(client, {
  changeRequest: env('CHANGE_REQUEST')
});
process.stdout.write(
  `${JSON.stringify({ failures: result.failures.length, closed: result.cases.closed })}\n`
);
