/** incident detect end to end against a local org loaded with a seeded storm data set. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { createStormIncident, type StormReport } from './detect.ts';
import {
  CasesInputError,
  defaultCasesPlan,
  detectStorms,
  generateStormData,
  linkCases,
  loadStormData,
  type StormData
} from './index.ts';
import { clientOf } from './test-orgs.ts';

const HOUR = 3_600_000;

let org: TestOrg;
let data: StormData;
let ids: Map<string, string>;
const end = Date.now() - 60_000;

before(async () => {
  org = await startTestOrg({ setAuditFields: true });
  data = generateStormData({
    seed: 11,
    noiseCases: 300,
    stormCases: 40,
    end,
    spanMs: 23 * HOUR,
    stormSpanMs: 30 * 60_000,
    keyAccountShare: 0.2,
    safetyShare: 0.1
  });
  ({ ids } = await loadStormData(clientOf(org), data));
});
after(async () => {
  await org.dispose();
});

function stormCaseIds(): string[] {
  return data.storm.caseRefs.map((ref) => ids.get(ref) ?? '').sort();
}

async function count(soql: string): Promise<number> {
  return (await org.conn.query(soql)).totalSize;
}

test('the generator is deterministic: one seed, one data set', () => {
  const options = {
    seed: 3,
    noiseCases: 50,
    stormCases: 10,
    end: 0,
    spanMs: HOUR,
    stormSpanMs: 60_000
  };
  assert.deepEqual(generateStormData(options), generateStormData(options));
  assert.notDeepEqual(
    generateStormData(options).cases,
    generateStormData({ ...options, seed: 4 }).cases
  );
});

test('detect finds the outage among the background cases, and proposes from the plan criteria', async () => {
  const result = await detectStorms(org.conn, {});
  assert.equal(result.scanned, 340);
  assert.equal(
    result.storms.length,
    1,
    JSON.stringify(result.storms.map((s) => [s.level, s.label, s.caseCount]))
  );
  const [storm] = result.storms;
  assert.ok(storm);
  // The widest storm: the outage's region (its product's storm is mostly the same cases).
  assert.equal(storm.level, 'region');
  assert.equal(storm.label, data.storm.region);
  // Every outage case is in the storm; any other case in it is background on the same product.
  for (const id of stormCaseIds()) assert.ok(storm.caseIds.includes(id), id);
  assert.equal(storm.coveredBy, null);
  assert.equal(storm.proposal.impact, 'High');
  assert.ok(
    storm.proposal.impactReasons.some((r) => r.criterion === 'many-customers')
  );
  assert.equal(result.created, 0);
  assert.equal(await count('SELECT COUNT() FROM Incident'), 0);
  assert.ok(
    Object.keys(result.api.callsByEndpoint).every((e) => e.startsWith('GET'))
  );
});

test('--create opens the incident with its items and links in one composite call; a rerun creates nothing', async () => {
  const result = await detectStorms(org.conn, { create: true });
  assert.equal(result.created, 1);
  assert.equal(result.api.callsByEndpoint['POST composite'], 1);
  const [storm] = result.storms;
  const incidentId = storm?.created?.incidentId ?? '';
  assert.equal(storm?.created?.linked, storm?.caseCount);
  const linked = await org.conn.query<{ CaseId: string }>(
    `SELECT CaseId FROM CaseRelatedIssue WHERE RelatedIssueId = '${incidentId}'`
  );
  assert.deepEqual(
    linked.records.map((r) => r.CaseId).sort(),
    [...(storm?.caseIds ?? [])].sort()
  );
  // A region storm's related items are the assets of its cases.
  const items = await org.conn.query<{ AssetId: string }>(
    `SELECT AssetId FROM IncidentRelatedItem WHERE IncidentId = '${incidentId}'`
  );
  const assets = await org.conn.query<{ AssetId: string }>(
    `SELECT AssetId FROM Case WHERE Id IN ('${(storm?.caseIds ?? []).join("','")}')`
  );
  assert.deepEqual(
    items.records.map((r) => r.AssetId).sort(),
    [...new Set(assets.records.map((r) => r.AssetId))].sort()
  );
  const incident = await org.conn.query<{
    Urgency: string;
    Impact: string;
    DetectedDateTime: string;
  }>(
    `SELECT Urgency, Impact, DetectedDateTime FROM Incident WHERE Id = '${incidentId}'`
  );
  assert.equal(incident.records[0]?.Impact, storm?.proposal.impact);
  assert.equal(
    Date.parse(incident.records[0]?.DetectedDateTime ?? ''),
    Date.parse(storm?.firstAt ?? '')
  );

  const rerun = await detectStorms(org.conn, { create: true });
  assert.equal(rerun.created, 0);
  assert.equal(rerun.storms[0]?.coveredBy, incidentId);
  assert.equal(await count('SELECT COUNT() FROM Incident'), 1);
});

test('link then attaches the late cases on the outage product to the incident', async () => {
  const product = ids.get(data.storm.productRef) ?? '';
  const asset = await org.conn.query<{ Id: string }>(
    `SELECT Id FROM Asset WHERE Product2Id = '${product}' LIMIT 1`
  );
  const late = await org.conn.sobject('Case').create([
    { Subject: 'Still no power', AssetId: asset.records[0]?.Id },
    { Subject: 'Also offline', AssetId: asset.records[0]?.Id }
  ]);
  const result = await linkCases(org.conn, {});
  const lateIds = late.map((r) => String(r.id));
  const links = await org.conn.query<{ CaseId: string }>(
    `SELECT CaseId FROM CaseRelatedIssue WHERE CaseId IN ('${lateIds.join("','")}')`
  );
  assert.equal(links.totalSize, 2);
  assert.ok(result.linked >= 2);
  assert.equal(result.failed, 0);
});

// The platform applies a composite's allOrNone to its sObject Collections subrequests too
// (REST API Developer Guide, "allOrNone Parameters in Composite and Collections Requests"):
// a link failing inside a collection rolls the incident back with it.
test('a failing link rolls the whole storm back: no half-made incident', async () => {
  const plan = defaultCasesPlan();
  const client = clientOf(org);
  const before = await count('SELECT COUNT() FROM Incident');
  const storm = {
    level: 'asset' as const,
    key: ids.get(data.assets[5]?.ref ?? '') ?? '',
    // A case id that does not exist: its CaseRelatedIssue fails.
    cases: [
      {
        id: '500000000000000AAA',
        createdAt: end,
        subject: 'x',
        accountId: null,
        keyAccount: false,
        assetId: null,
        productId: null,
        region: null
      }
    ],
    firstAt: end,
    lastAt: end,
    peak: 1
  };
  const report: StormReport = {
    level: 'asset',
    key: storm.key,
    label: 'rollback test',
    caseCount: 1,
    accountCount: 0,
    firstAt: new Date(end).toISOString(),
    lastAt: new Date(end).toISOString(),
    peak: 1,
    caseIds: ['500000000000000AAA'],
    proposal: {
      urgency: 'Medium',
      impact: 'Medium',
      urgencyReasons: [],
      impactReasons: []
    },
    coveredBy: null
  };
  await assert.rejects(
    createStormIncident(client, plan, storm, report),
    /links0/
  );
  assert.equal(await count('SELECT COUNT() FROM Incident'), before);
});

test('bad input: threshold and window are refused with exit code 2 before anything is read', async () => {
  await assert.rejects(
    detectStorms(org.conn, { threshold: 1 }),
    (e: Error) =>
      e instanceof CasesInputError && e.message.startsWith('--threshold')
  );
  await assert.rejects(
    detectStorms(org.conn, { window: '10' }),
    (e: Error) =>
      e instanceof CasesInputError && e.message.startsWith('--window')
  );
});
