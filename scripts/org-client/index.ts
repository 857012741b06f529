/** The shared API client (contract C7); see client.ts for the API and retry.ts for the policy. */
export * from './client.ts';
export * from './retry.ts';
export * from './soql.ts';
