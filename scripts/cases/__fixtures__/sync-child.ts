/** A sync run in its own process, for the test that kills it with SIGKILL at random points. */
import { Connection } from 'jsforce';
import { syncCases } from '../index.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const connect = (prefix: string): Connection =>
  new Connection({ instanceUrl: env(`${prefix}_URL`), accessToken: env(`${prefix}_TOKEN`), version: '64.0' });

const result = await syncCases(connect('SOURCE'), connect('HUB'), {
  bulkThreshold: Number(env('BULK_THRESHOLD')),
  bulkPollMs: 20
});
process.stdout.write(`${JSON.stringify({ created: result.created, updated: result.updated, failed: result.failed.length })}\n`);
