/**
 * Two `detect --create` runs at the same time open one incident per storm: the incident carries
 * the storm's key in the unique Storm_Key__c, so the org refuses the second (DUPLICATE_VALUE)
 * and that run reports the storm as already open, not as a failure.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import {
  createStormIncident,
  StormAlreadyOpenError,
  stormKey,
  type StormReport
} from './detect.ts';
import {
  defaultCasesPlan,
  detectStorms,
  generateStormData,
  loadStormData
} from './index.ts';
import type { Storm } from './storms.ts';
import { clientOf } from './test-orgs.ts';

const HOUR = 3_600_000;
let org: TestOrg;

before(async () => {
  org = await startTestOrg({ setAuditFields: true });
  const data = generateStormData({
    seed: 5,
    noiseCases: 100,
    stormCases: 30,
    end: Date.now() - 60_000,
    spanMs: 12 * HOUR,
    stormSpanMs: 20 * 60_000
  });
  await loadStormData(clientOf(org), data);
});
after(async () => {
  await org.dispose();
});

async function incidents(): Promise<{ Id: string; Storm_Key__c: string }[]> {
  return (
    await org.conn.query<{ Id: string; Storm_Key__c: string }>(
      'SELECT Id, Storm_Key__c FROM Incident'
    )
  ).records;
}

/** The storm a report describes, as createStormIncident takes it (its cases by id). */
function stormOf(report: StormReport): Storm {
  return {
    level: report.level,
    key: report.key,
    cases: report.caseIds.map((id) => ({
      id,
      createdAt: Date.parse(report.firstAt),
      subject: '',
      accountId: null,
      keyAccount: false,
      assetId: null,
      productId: null,
      region: null
    })),
    firstAt: Date.parse(report.firstAt),
    lastAt: Date.parse(report.lastAt),
    peak: report.peak
  };
}

test('two whole detect --create runs at once open the storm once; the other reports it open', async () => {
  const runs = await Promise.all([
    detectStorms(org.conn, { create: true }),
    detectStorms(org.conn, { create: true })
  ]);
  const open = (
    await org.conn.query<{ Id: string }>(
      'SELECT Id FROM Incident WHERE IsClosed = false'
    )
  ).records;
  assert.equal(open.length, 1, JSON.stringify(runs));
  assert.deepEqual(runs.map((r) => r.created).sort(), [0, 1]);
  for (const run of runs) {
    assert.equal(run.failed, 0, JSON.stringify(run.storms));
    const storm = run.storms[0];
    assert.equal(storm?.created?.incidentId ?? storm?.coveredBy, open[0]?.Id);
  }
});

test('two creates racing for one storm: one incident, the other refused as already open', async () => {
  // The storm anew: the previous test opened an incident for it.
  for (const table of ['CaseRelatedIssue', 'IncidentRelatedItem', 'Incident'])
    org.org.db.prepare(`DELETE FROM "${table}"`).run();
  const found = await detectStorms(org.conn, {});
  const [report] = found.storms;
  assert.ok(report, 'the data set has a storm');
  const storm = stormOf(report);
  const plan = defaultCasesPlan();
  // Both passed the coverage check (nothing open yet) and send their composites together.
  const outcomes = await Promise.allSettled([
    createStormIncident(clientOf(org), plan, storm, report),
    createStormIncident(clientOf(org), plan, storm, report)
  ]);
  const created = outcomes.filter((o) => o.status === 'fulfilled');
  const refused = outcomes.filter((o) => o.status === 'rejected');
  assert.equal(created.length, 1, JSON.stringify(outcomes));
  assert.equal(refused.length, 1);
  const reason: unknown = refused[0]?.reason;
  assert.ok(reason instanceof StormAlreadyOpenError, String(reason));
  const open = await incidents();
  assert.equal(open.length, 1);
  const [incident] = open;
  assert.ok(incident);
  assert.equal(incident.Storm_Key__c, stormKey(storm));
  assert.equal(reason.incidentId, incident.Id);
  assert.equal(created[0]?.value.incidentId, incident.Id);
  // All or none: the refused composite linked no case a second time.
  const links = await org.conn.query(
    `SELECT COUNT() FROM CaseRelatedIssue WHERE RelatedIssueId = '${incident.Id}'`
  );
  assert.equal(links.totalSize, report.caseCount);
  assert.equal(
    (await org.conn.query('SELECT COUNT() FROM CaseRelatedIssue')).totalSize,
    report.caseCount
  );

  // Whole runs side by side then find it covered; neither opens another.
  const runs = await Promise.all([
    detectStorms(org.conn, { create: true }),
    detectStorms(org.conn, { create: true })
  ]);
  for (const run of runs) {
    assert.equal(run.created, 0);
    assert.equal(run.failed, 0);
    assert.equal(run.storms[0]?.coveredBy, incident.Id);
  }
  assert.equal((await incidents()).length, 1);
});

test('a dropped connection in a race does not take the other run for this one: the re-read checks the mark', async () => {
  for (const table of ['CaseRelatedIssue', 'IncidentRelatedItem', 'Incident'])
    org.org.db.prepare(`DELETE FROM "${table}"`).run();
  const [report] = (await detectStorms(org.conn, {})).storms;
  assert.ok(report, 'the data set has a storm');
  const storm = stormOf(report);
  const plan = defaultCasesPlan();
  const first = await createStormIncident(clientOf(org), plan, storm, report);
  // The second run's composite never reaches the org: the connection drops first. Its re-read
  // finds the first run's incident under the same key, which is not the second run's own.
  const next = org.org.counters.get('composite') + 1;
  org.org.faults.configure({
    rules: [{ endpoint: 'composite', kind: 'DROP_CONNECTION', calls: [next] }]
  });
  try {
    await assert.rejects(
      createStormIncident(clientOf(org), plan, storm, report),
      (error: unknown) =>
        error instanceof StormAlreadyOpenError &&
        error.incidentId === first.incidentId
    );
  } finally {
    org.org.faults.clear();
  }
  assert.equal((await incidents()).length, 1);
});
