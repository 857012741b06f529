/**
 * seedPlan and checkReadiness end to end against a local org started by the test, over real
 * HTTP with jsforce: happy path, dry run, rerun (zero writes), field-by-field changes, prune, and
 * 5 % injected faults after which the org holds exactly the file's state.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { OrgClient } from '../org-client/index.ts';
import {
  checkReadiness,
  classifyOrg,
  loadPlan,
  orgKind,
  seedPlan,
  type Plan,
  type SeedResult
} from './index.ts';
import { syntheticMember, syntheticPlan } from './synthetic.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PLAN_FILE = path.join(here, '..', '..', 'config', 'incident-plan.json');
const WRITES = [
  'collections.create',
  'collections.update',
  'collections.upsert',
  'metadata'
];

function writesAt(t: TestOrg): number {
  return WRITES.reduce((sum, name) => sum + t.org.counters.get(name), 0);
}

function clone(plan: Plan): Plan {
  return structuredClone(plan);
}

interface MemberRow {
  External_Id__c: string;
  Name: string;
  Role__c: string;
  Phone__c: string | null;
  Active__c: boolean;
  Shift__c: string | null;
  Expertise__c: string | null;
  User__r: { Username: string } | null;
  Account__r: { Name: string } | null;
}

/** The roster as the org holds it, read through a retrying client (faults may be on). */
async function rosterState(client: OrgClient): Promise<MemberRow[]> {
  const records = await client.queryAll<MemberRow>(
    'SELECT External_Id__c, Name, Role__c, Phone__c, Active__c, Shift__c, Expertise__c, User__r.Username, Account__r.Name FROM Incident_Roster_Member__c ORDER BY External_Id__c'
  );
  return records.map((r) => ({
    External_Id__c: r.External_Id__c,
    Name: r.Name,
    Role__c: r.Role__c,
    Phone__c: r.Phone__c,
    Active__c: r.Active__c,
    Shift__c: r.Shift__c,
    Expertise__c: r.Expertise__c,
    User__r: r.User__r ? { Username: r.User__r.Username } : null,
    Account__r: r.Account__r ? { Name: r.Account__r.Name } : null
  }));
}

/** The roster the plan file describes, in the shape rosterState reads. */
function expectedRoster(plan: Plan): MemberRow[] {
  return plan.roster
    .map((m) => ({
      External_Id__c: m.key,
      Name: m.name,
      Role__c: m.role,
      Phone__c: m.phone ?? null,
      Active__c: m.active,
      Shift__c: m.shift === undefined ? null : JSON.stringify(m.shift),
      Expertise__c: m.expertise
        ? [
            ...new Set([
              ...m.expertise.categories,
              ...m.expertise.subCategories,
              ...m.expertise.products
            ])
          ].join(';')
        : null,
      User__r: m.user ? { Username: m.user } : null,
      Account__r: typeof m.account === 'string' ? { Name: m.account } : null
    }))
    .sort((a, b) => a.External_Id__c.localeCompare(b.External_Id__c));
}

function assertNoChanges(result: SeedResult): void {
  assert.equal(result.noChanges, true, JSON.stringify(result.changes));
  assert.deepEqual(Object.values(result.written), [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Object.keys(result.callsByEndpoint), ['GET query']);
}

describe('seedPlan against a local org', () => {
  it('dry run reports everything and writes nothing; a real run writes it; a rerun writes nothing', async () => {
    const t = await startTestOrg({ dbPath: ':memory:' });
    try {
      const plan = loadPlan(PLAN_FILE);
      const dry = await seedPlan(t.conn, plan, {
        dryRun: true,
        createUsers: true
      });
      assert.equal(writesAt(t), 0);
      assert.equal(dry.dryRun, true);
      const added = (section: string): number =>
        dry.changes.filter((c) => c.kind === 'added' && c.section === section)
          .length;
      assert.equal(added('users'), 17);
      assert.equal(added('keyAccounts'), 3);
      assert.equal(added('roster'), 17);
      // The deployed defaults are the ITIL matrix and SLA already: only the priorities and the
      // business hours name are new.
      const matrix = dry.changes.filter((c) => c.section === 'severityMatrix');
      assert.equal(matrix.length, 9);
      assert.deepEqual(
        matrix[0]?.kind === 'changed' ? matrix[0].fields : undefined,
        [{ field: 'Priority__c', from: null, to: 'Critical' }]
      );
      assert.deepEqual(dry.written, {
        severityMatrix: 0,
        slaPolicy: 0,
        roster: 0,
        users: 0,
        keyAccounts: 0,
        communications: 0,
        responsePlan: 0
      });

      const real = await seedPlan(t.conn, plan, { createUsers: true });
      assert.deepEqual(real.failures, []);
      assert.deepEqual(real.written, {
        severityMatrix: 9,
        slaPolicy: 3,
        roster: 17,
        users: 17,
        keyAccounts: 3,
        communications: 0,
        responsePlan: 0
      });
      assert.deepEqual(
        await rosterState(new OrgClient(t.conn)),
        expectedRoster(plan)
      );
      // Reads: matrix, policy, business hours, users, accounts, roster, communication
      // templates, response steps; then the profile; writes: users, accounts, metadata, roster:
      // one call each.
      assert.equal(real.apiCalls, 13);

      const before = writesAt(t);
      const again = await seedPlan(t.conn, plan, { createUsers: true });
      assertNoChanges(again);
      assert.equal(writesAt(t), before);
      assert.equal(again.apiCalls, 8);
    } finally {
      await t.dispose();
    }
  });

  it('reports changes field by field and prunes by deactivating, never deleting', async () => {
    const t = await startTestOrg({ dbPath: ':memory:' });
    try {
      const plan = loadPlan(PLAN_FILE);
      await seedPlan(t.conn, plan, { createUsers: true });
      const next = clone(plan);
      const dropped = next.roster.splice(3, 2);
      const member = next.roster[0];
      assert.ok(member);
      member.phone = '+1 415 555 0199';
      const target = next.slaPolicy.targets[0];
      assert.ok(target);
      target.resolutionMinutes = 180;

      const withoutPrune = await seedPlan(t.conn, next, { dryRun: true });
      assert.deepEqual(
        withoutPrune.changes.map((c) => [c.kind, c.section, c.key]),
        [
          ['changed', 'slaPolicy', 'Incident_Sla_Policy.Severity_1'],
          ['changed', 'roster', member.key]
        ]
      );
      const phone = withoutPrune.changes.find((c) => c.section === 'roster');
      assert.deepEqual(phone?.kind === 'changed' ? phone.fields : undefined, [
        { field: 'Phone__c', from: '+1 415 555 0101', to: '+1 415 555 0199' }
      ]);

      const pruned = await seedPlan(t.conn, next, { prune: true });
      assert.deepEqual(
        pruned.changes
          .filter((c) => c.kind === 'deactivated')
          .map((c) => c.key),
        dropped.map((m) => m.key)
      );
      assert.equal(pruned.written.roster, 3);
      assert.equal(pruned.written.slaPolicy, 1);
      const rows = await rosterState(new OrgClient(t.conn));
      assert.equal(rows.length, plan.roster.length);
      assert.deepEqual(
        rows
          .filter((r) => !r.Active__c)
          .map((r) => r.External_Id__c)
          .sort(),
        dropped.map((m) => m.key).sort()
      );
      assertNoChanges(await seedPlan(t.conn, next, { prune: true }));
    } finally {
      await t.dispose();
    }
  });

  it('ends with exactly the file state through 5 % injected faults', async () => {
    const rest = [
      'query',
      'queryMore',
      'collections.create',
      'collections.update',
      'collections.upsert'
    ];
    const t = await startTestOrg({
      dbPath: ':memory:',
      faults: {
        seed: 7,
        rules: [
          // The Metadata API answers faults as SOAP faults on the platform; the local org
          // answers them as REST JSON, which only 503 and a dropped connection survive
          // unchanged. Lock and limit faults are therefore injected on REST endpoints only.
          // Every write path meets a dropped connection at least once, whatever the draw.
          {
            endpoint: 'collections.create',
            kind: 'DROP_CONNECTION',
            calls: [1]
          },
          {
            endpoint: 'collections.upsert',
            kind: 'DROP_CONNECTION',
            calls: [2]
          },
          {
            endpoint: 'collections.update',
            kind: 'DROP_CONNECTION',
            calls: [1]
          },
          { endpoint: 'metadata', kind: 'DROP_CONNECTION', calls: [1] },
          { endpoint: '*', kind: 'SERVER_UNAVAILABLE', rate: 0.015 },
          { endpoint: '*', kind: 'DROP_CONNECTION', rate: 0.015 },
          ...rest.flatMap((endpoint) => [
            {
              endpoint,
              kind: 'REQUEST_LIMIT_EXCEEDED' as const,
              rate: 0.01
            },
            { endpoint, kind: 'UNABLE_TO_LOCK_ROW' as const, rate: 0.01 }
          ]),
          {
            endpoint: 'collections.upsert',
            kind: 'UNABLE_TO_LOCK_ROW',
            rate: 0.05,
            records: [1, 50, 150]
          }
        ]
      }
    });
    try {
      const client = new OrgClient(t.conn, { sleep: () => Promise.resolve() });
      let plan = syntheticPlan(loadPlan(PLAN_FILE), 600);
      // Rounds of a living roster: all new, then phones changed, members dropped (pruned) and
      // added, metadata changed; each round under faults, each checked against the file.
      for (let round = 0; round < 6; round++) {
        if (round > 0) {
          plan = clone(plan);
          plan.roster = plan.roster.filter((_, i) => (i + round) % 17 !== 0);
          plan.roster.push(
            ...Array.from({ length: 30 }, (_, i) =>
              syntheticMember(1000 * round + i, 'bench.example')
            )
          );
          for (const member of plan.roster.filter((_, i) => i % 5 === round))
            member.phone = `+81 3 5555 ${String(round).padStart(4, '0')}`;
          const target = plan.slaPolicy.targets[0];
          if (target) target.warningPercent = 70 + round;
        }
        const result = await seedPlan(client, plan, {
          createUsers: true,
          prune: true
        });
        assert.deepEqual(result.failures, [], `round ${round}`);
        const rows = await rosterState(client);
        const listed = new Set(plan.roster.map((m) => m.key));
        assert.deepEqual(
          rows.filter((r) => listed.has(r.External_Id__c)),
          expectedRoster(plan),
          `round ${round}`
        );
        assert.ok(
          rows
            .filter((r) => !listed.has(r.External_Id__c))
            .every((r) => !r.Active__c)
        );
      }
      const injected = t.org.faults.injectedSnapshot();
      const kinds = new Set(
        Object.values(injected).flatMap((byKind) => Object.keys(byKind))
      );
      assert.deepEqual(
        [...kinds].sort(),
        [
          'DROP_CONNECTION',
          'REQUEST_LIMIT_EXCEEDED',
          'SERVER_UNAVAILABLE',
          'UNABLE_TO_LOCK_ROW'
        ],
        JSON.stringify(injected)
      );
      assert.ok(client.retries >= t.org.faults.injectedCount());
      t.org.faults.clear();
      const users = await t.conn.query<{ Username: string }>(
        "SELECT Username FROM User WHERE Username LIKE '%@bench.example'"
      );
      const everyone = new Set(
        (
          await t.conn.query<{ External_Id__c: string }>(
            'SELECT External_Id__c FROM Incident_Roster_Member__c'
          )
        ).records.map((r) => r.External_Id__c)
      );
      // One user per member ever listed: a retried create never made a second one.
      assert.equal(users.totalSize, everyone.size);
      assertNoChanges(await seedPlan(t.conn, plan, { prune: true }));
    } finally {
      await t.dispose();
    }
  });
});

describe('checkReadiness', () => {
  it('reports a seeded org as ready, and what needs attention once it is not', async () => {
    const t = await startTestOrg({ dbPath: ':memory:' });
    try {
      const plan = loadPlan(PLAN_FILE);
      await seedPlan(t.conn, plan, { createUsers: true });
      // Tuesday 1 December 2026, 17:00 in Los Angeles, Wednesday 10:00 in Tokyo.
      const now = new Date('2026-12-02T01:00:00Z');
      const ready = await checkReadiness(t.conn, now);
      assert.equal(ready.needsAttention, false, ready.attention.join('\n'));
      assert.equal(ready.matrix.complete, true);
      assert.deepEqual(ready.slaPolicy.severities, [1, 2, 3]);
      assert.deepEqual(
        ready.roster.onDutyNow
          .filter((m) => m.role === 'On-Duty Customer Service Manager')
          .map((m) => [m.key, m.endsAt]),
        [
          ['csm-la-late', '2026-12-02T06:00:00.000Z'],
          ['csm-tokyo-day', '2026-12-02T06:00:00.000Z']
        ]
      );
      assert.equal(ready.apiCalls, 3);

      // Take the Tokyo managers off the roster and deactivate a user: both need attention.
      const next = clone(plan);
      next.roster = next.roster.filter((m) => !m.key.startsWith('csm-tokyo'));
      await seedPlan(t.conn, next, { prune: true });
      const [user] = (
        await t.conn.query<{ Id: string }>(
          "SELECT Id FROM User WHERE Username = 'grace.kim@sunbright-solar.example'"
        )
      ).records;
      assert.ok(user);
      await t.conn.sobject('User').update({ Id: user.Id, IsActive: false });
      const notReady = await checkReadiness(t.conn, now);
      assert.equal(notReady.needsAttention, true);
      assert.deepEqual(notReady.attention, [
        'Roster member Grace Kim (slm-sunrise-apartments): its user grace.kim@sunbright-solar.example is inactive',
        'On-Duty Customer Service Manager: nobody on duty 2026-12-02T06:00:00.000Z to 2026-12-02T14:00:00.000Z'
      ]);
    } finally {
      await t.dispose();
    }
  });
});

describe('orgKind', () => {
  it('reads IsSandbox and TrialExpirationDate as the platform does', () => {
    const expires = '2026-12-09T00:00:00.000+0000';
    assert.equal(
      classifyOrg({ IsSandbox: true, TrialExpirationDate: expires }),
      'scratch'
    );
    assert.equal(
      classifyOrg({ IsSandbox: true, TrialExpirationDate: null }),
      'sandbox'
    );
    assert.equal(
      classifyOrg({ IsSandbox: false, TrialExpirationDate: null }),
      'production'
    );
    // A trial org expires too, but it is not a sandbox: production.
    assert.equal(
      classifyOrg({ IsSandbox: false, TrialExpirationDate: expires }),
      'production'
    );
  });

  it('finds the local org to be a scratch org', async () => {
    const t = await startTestOrg({ dbPath: ':memory:' });
    try {
      assert.equal(await orgKind(t.conn), 'scratch');
    } finally {
      await t.dispose();
    }
  });
});
