/**
 * Loads the storm demo into an org from the sf auth store: a regional outage (40 cases on one
 * inverter model in region North) among background cases across eight regions and twelve
 * models, small enough that only the outage is a storm even when every case is opened now.
 *
 *   node --import tsx scripts/cases/storm-demo.ts [alias-or-username]   (default incident-local)
 */
import { Org } from '@salesforce/core';
import { OrgClient } from '../org-client/index.ts';
import { generateStormData, loadStormData } from './storm-data.ts';

const target = process.argv[2] ?? 'incident-local';
const org = await Org.create({ aliasOrUsername: target });
const client = new OrgClient(org.getConnection());
const data = generateStormData({
  seed: 2026,
  noiseCases: 32,
  stormCases: 40,
  end: Date.now(),
  spanMs: 0,
  stormSpanMs: 0,
  keyAccountShare: 0.1,
  safetyShare: 0.05,
  tag: 'Demo'
});
await loadStormData(client, data, { backdate: false });
process.stdout.write(
  `Loaded ${data.accounts.length} accounts, ${data.assets.length} assets and ${data.cases.length} cases into ${target}: an outage of ${data.products[0]?.name ?? ''} in region ${data.storm.region}. ${client.apiCalls} API calls.\n`
);
