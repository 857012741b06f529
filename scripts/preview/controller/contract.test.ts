/**
 * The controller stand-in against the controller's contract
 * (staticresources/incidentConsoleContract.json), the same cases IncidentConsoleContractTest
 * runs in an org: each case's records are created in a local org through jsforce, the method is
 * called, and the answer must match the expectation and have exactly the contract's keys.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { startTestOrg, type TestOrg } from '../../local-org/test-org.ts';
import { OrgClient } from '../../org-client/index.ts';
import { PROJECT_ROOT } from '../build.ts';
import { APEX_CONTROLLERS } from '../server.ts';
import {
  ApexError,
  getConsole,
  getLinkedCases,
  getRoster
} from './incident-console-controller.ts';

/** An org that refuses every query of one object, as a user without access to it would see. */
class RefusingClient extends OrgClient {
  constructor(
    conn: ConstructorParameters<typeof OrgClient>[0],
    private readonly refused: string,
    private readonly failure: () => Error
  ) {
    super(conn);
  }

  override queryAll<T>(
    soql: string,
    options: { all?: boolean } = {}
  ): Promise<T[]> {
    if (new RegExp(`\\bFROM ${this.refused}\\b`).test(soql))
      return Promise.reject(this.failure());
    return super.queryAll<T>(soql, options);
  }
}

const CONTRACT_FILE = path.join(
  PROJECT_ROOT,
  'force-app/main/default/staticresources/incidentConsoleContract.json'
);

const contractSchema = z.object({
  shapes: z.record(z.string(), z.array(z.string())),
  cases: z.array(
    z.object({
      name: z.string(),
      records: z.array(
        z.object({
          ref: z.string(),
          sObject: z.string(),
          fields: z.record(z.string(), z.unknown())
        })
      ),
      call: z.object({
        /** The controller the method is on; IncidentConsoleController when left out. */
        controller: z.string().optional(),
        method: z.string(),
        params: z.record(z.string(), z.unknown())
      }),
      shape: z.string().optional(),
      expect: z.unknown().optional(),
      unordered: z.array(z.string()).optional(),
      error: z.string().optional()
    })
  )
});
type Contract = z.infer<typeof contractSchema>;
type ContractCase = Contract['cases'][number];

const contract: Contract = contractSchema.parse(
  JSON.parse(readFileSync(CONTRACT_FILE, 'utf8'))
);

/** "@ref" anywhere in a string becomes that record's Id, "$owner" the creator's name. */
function substitute(
  value: unknown,
  ids: Map<string, string>,
  owner: string
): unknown {
  if (typeof value === 'string') {
    if (value === '$owner') return owner;
    return value.replace(
      /@(\w+)/g,
      (whole, ref: string) => ids.get(ref) ?? whole
    );
  }
  if (Array.isArray(value))
    return value.map((item) => substitute(item, ids, owner));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        substitute(item, ids, owner)
      ])
    );
  return value;
}

/** Expected keys only; lists in full, in order. */
function assertMatches(expected: unknown, actual: unknown, at: string): void {
  if (Array.isArray(expected)) {
    assert.ok(
      Array.isArray(actual),
      `${at}: expected a list, got ${JSON.stringify(actual)}`
    );
    assert.equal(actual.length, expected.length, `${at}: list length`);
    expected.forEach((item, index) => {
      assertMatches(item, actual[index], `${at}[${index}]`);
    });
  } else if (expected && typeof expected === 'object') {
    assert.ok(
      actual && typeof actual === 'object',
      `${at}: expected an object`
    );
    for (const [key, value] of Object.entries(expected))
      assertMatches(
        value,
        (actual as Record<string, unknown>)[key],
        `${at}.${key}`
      );
  } else {
    assert.equal(actual, expected, at);
  }
}

function assertKeys(shape: string, value: unknown, at: string): void {
  const keys = contract.shapes[shape];
  assert.ok(keys, `the contract has no shape ${shape}`);
  assert.deepEqual(
    Object.keys(value as object).sort(),
    [...keys].sort(),
    `${at}: the keys of ${shape}`
  );
}

/** Every object of the answer has exactly its shape's keys, nested lists included. */
function assertShapes(shape: string, answer: unknown): void {
  const items = Array.isArray(answer) ? answer : [answer];
  items.forEach((item, index) => {
    assertKeys(shape, item, `answer[${index}]`);
    const record = item as Record<string, unknown>;
    if (shape === 'ConsoleData') {
      (record.rules as unknown[]).forEach((rule) => {
        assertKeys('RuleCell', rule, 'rules[]');
      });
      (record.policy as unknown[]).forEach((row) => {
        assertKeys('PolicyRow', row, 'policy[]');
      });
    }
    if (shape === 'CasePage')
      (record.cases as unknown[]).forEach((row) => {
        assertKeys('CaseRow', row, 'cases[]');
      });
    if (shape === 'TimelinePage') {
      (record.events as unknown[]).forEach((row) => {
        assertKeys('TimelineEvent', row, 'events[]');
      });
      (record.counts as unknown[]).forEach((row) => {
        assertKeys('TypeCount', row, 'counts[]');
      });
    }
    if (shape === 'CommunicationsData') {
      (record.templates as unknown[]).forEach((row) => {
        assertKeys('CommTemplate', row, 'templates[]');
      });
      (record.history as unknown[]).forEach((row) => {
        assertKeys('SentCommunication', row, 'history[]');
      });
    }
    if (shape === 'UpdateCadence')
      (record.policy as unknown[]).forEach((row) => {
        assertKeys('CadenceRow', row, 'policy[]');
      });
    if (shape === 'OutreachList')
      (record.items as unknown[]).forEach((row) => {
        assertKeys('OutreachRow', row, 'items[]');
      });
  });
}

function sortedBy(list: unknown): unknown {
  return Array.isArray(list)
    ? [...(list as unknown[])].sort((a, b) =>
        JSON.stringify(a).localeCompare(JSON.stringify(b))
      )
    : list;
}

describe('IncidentConsoleController contract: the preview stand-in on the local org', () => {
  let testOrg: TestOrg;
  let client: OrgClient;

  before(async () => {
    testOrg = await startTestOrg();
    client = new OrgClient(testOrg.conn);
  });
  after(async () => {
    await testOrg.dispose();
  });

  async function createRecords(
    testCase: ContractCase
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const record of testCase.records) {
      const fields = substitute(record.fields, ids, '') as Record<
        string,
        unknown
      >;
      const result = await testOrg.conn.sobject(record.sObject).create(fields);
      assert.ok(
        result.success && result.id,
        `${record.ref}: ${JSON.stringify(result)}`
      );
      ids.set(record.ref, result.id);
    }
    return ids;
  }

  for (const testCase of contract.cases) {
    it(testCase.name, async () => {
      const ids = await createRecords(testCase);
      const params = substitute(testCase.call.params, ids, '') as Record<
        string,
        unknown
      >;
      // "$owner" is the creator of the record the method is called on: the first parameter
      // naming one of the case's records (recordId, or an event's or outreach's id).
      const recordId = String(
        Object.values(params).find(
          (value) =>
            typeof value === 'string' && [...ids.values()].includes(value)
        ) ?? params.recordId
      );
      const [creator] = await client.queryAll<{ CreatedBy: { Name: string } }>(
        `SELECT CreatedBy.Name FROM ${testCase.records.find((r) => ids.get(r.ref) === recordId)?.sObject ?? 'Incident'} WHERE Id = '${recordId}'`
      );
      const owner = creator?.CreatedBy.Name ?? '';
      const controller =
        testCase.call.controller ?? 'IncidentConsoleController';
      const run = APEX_CONTROLLERS[controller]?.[testCase.call.method];
      assert.ok(
        run,
        `${controller} has no stand-in for ${testCase.call.method}`
      );
      if (testCase.error !== undefined) {
        await assert.rejects(run(client, params, {}), (error: unknown) => {
          assert.ok(error instanceof ApexError, String(error));
          assert.equal(error.message, substitute(testCase.error, ids, owner));
          return true;
        });
        return;
      }
      const answer = await run(client, params, {});
      if (testCase.shape) assertShapes(testCase.shape, answer);
      let expected = substitute(testCase.expect, ids, owner);
      let actual = answer;
      for (const key of testCase.unordered ?? []) {
        expected = {
          ...(expected as object),
          [key]: sortedBy((expected as Record<string, unknown>)[key])
        };
        actual = {
          ...(actual as object),
          [key]: sortedBy((actual as Record<string, unknown>)[key])
        };
      }
      assertMatches(expected, actual, testCase.call.method);
    });
  }

  it('getConsole: a calendar the org refuses leaves the rest of the console, with calendarError', async () => {
    const incident = await testOrg.conn.sobject('Incident').create({
      Subject: 'Calendar refused',
      Urgency: 'High',
      Impact: 'High'
    });
    assert.ok(incident.success && incident.id);
    const refusing = new RefusingClient(testOrg.conn, 'BusinessHours', () =>
      Object.assign(
        new Error("sObject type 'BusinessHours' is not supported."),
        {
          errorCode: 'INVALID_TYPE'
        }
      )
    );
    const data = await getConsole(refusing, { recordId: incident.id });
    assert.equal(data.calendar, null);
    assert.equal(
      data.calendarError,
      "The business hours calendar could not be read, so the SLA timers cannot tell open from closed hours: sObject type 'BusinessHours' is not supported."
    );
    assert.equal(data.severity, 1, 'the record still loads');
    assert.equal(data.rules.length, 9, 'the matrix still loads');
    assert.ok(data.resolutionDue, 'the due times still show');

    const down = new RefusingClient(
      testOrg.conn,
      'BusinessHours',
      () => new Error('fetch failed')
    );
    await assert.rejects(
      getConsole(down, { recordId: incident.id }),
      /fetch failed/,
      'an org that cannot be reached fails the call instead of reading as a refusal'
    );
  });

  it('getLinkedCases: sorts on the server by each whitelisted field, in both directions', async () => {
    const incident = await testOrg.conn.sobject('Incident').create({
      Subject: 'Sorted outage',
      Urgency: 'Low',
      Impact: 'Low'
    });
    assert.ok(incident.success && incident.id);
    const subjects = ['Delta', 'alpha', 'Charlie', 'bravo', 'Echo'];
    const created = await testOrg.conn
      .sobject('Case')
      .create(subjects.map((Subject) => ({ Subject, Status: 'New' })));
    const caseIds = created.map((result) => {
      assert.ok(result.success && result.id);
      return result.id;
    });
    await testOrg.conn
      .sobject('CaseRelatedIssue')
      .create(
        caseIds.map((CaseId) => ({ CaseId, RelatedIssueId: incident.id }))
      );
    const pages = async (sortBy: string, sortDirection: string) => {
      const seen: (string | null)[] = [];
      for (const pageNumber of [1, 2, 3]) {
        const page = await getLinkedCases(client, {
          recordId: incident.id,
          pageSize: 2,
          pageNumber,
          sortBy,
          sortDirection
        });
        seen.push(...page.cases.map((row) => row.subject));
      }
      return seen;
    };
    // SOQL sorts text without regard to case.
    const ascending = ['alpha', 'bravo', 'Charlie', 'Delta', 'Echo'];
    assert.deepEqual(await pages('subject', 'asc'), ascending);
    assert.deepEqual(await pages('subject', 'desc'), [...ascending].reverse());
    for (const sortBy of [
      'caseNumber',
      'status',
      'priority',
      'accountName',
      'createdDate'
    ])
      assert.equal((await pages(sortBy, 'asc')).length, 5, sortBy);
    await assert.rejects(
      getLinkedCases(client, {
        recordId: incident.id,
        sortBy: 'subject',
        sortDirection: 'sideways'
      }),
      new ApexError('sortDirection must be asc or desc (got "sideways").')
    );
  });

  it('getRoster: entries in rosterCallOrder, on duty before off duty, callOrder in sequence', async () => {
    const incident = await testOrg.conn.sobject('Incident').create({
      Subject: 'Roster order',
      Urgency: 'High',
      Impact: 'High',
      Category: 'Batteries'
    });
    assert.ok(incident.success && incident.id);
    // Wednesday 7 January 2026, 12:00 UTC: the Monday-only shift is off duty.
    const now = new Date('2026-01-07T12:00:00.000Z');
    const mondayOnly = JSON.stringify({
      timeZone: 'UTC',
      weekly: { monday: { start: '00:00', end: '01:00' } }
    });
    const members = await testOrg.conn
      .sobject('Incident_Roster_Member__c')
      .create([
        {
          Name: 'Order Off-Duty Manager',
          Role__c: 'On-Duty Customer Service Manager',
          Email__c: 'off@example.com',
          Active__c: true,
          Shift__c: mondayOnly
        },
        {
          Name: 'Order Battery Expert',
          Role__c: 'Technical Expert',
          Expertise__c: 'Batteries',
          Email__c: 'battery@example.com',
          Active__c: true,
          Shift__c: '{not json'
        },
        {
          Name: 'Order Duty Manager',
          Role__c: 'On-Duty Customer Service Manager',
          Email__c: 'on@example.com',
          Active__c: true
        }
      ]);
    for (const result of members)
      assert.ok(result.success, JSON.stringify(result));
    const roster = (
      await getRoster(client, { recordId: incident.id }, { now: () => now })
    ).filter(
      (entry) =>
        entry.role === 'Incident Owner' || entry.name?.startsWith('Order ')
    );
    assert.deepEqual(
      roster.map((entry) => [
        entry.name?.startsWith('Order ') ? entry.name : 'owner',
        entry.onDuty
      ]),
      [
        ['owner', true],
        ['Order Duty Manager', true],
        ['Order Battery Expert', true],
        ['Order Off-Duty Manager', false]
      ]
    );
    const offDuty = roster[3];
    assert.equal(offDuty?.nextOnDutyAt, '2026-01-12T00:00:00.000Z');
    assert.equal(offDuty.timeZone, 'UTC');
    assert.match(
      roster[2]?.reason ?? '',
      /\(shift not readable: .+\)$/,
      'an unreadable shift keeps the member reachable and says why'
    );
    const all = await getRoster(
      client,
      { recordId: incident.id },
      { now: () => now }
    );
    assert.deepEqual(
      all.map((entry) => entry.callOrder),
      all.map((_entry, index) => index + 1),
      'callOrder numbers the list as it is ordered'
    );
  });
});
