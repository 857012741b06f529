/**
 * The postmortem draft: SLA outcomes in business time and the Markdown's sections (pure), then an
 * incident's life end to end through the real CLI on a local org: created, severity raised,
 * cases linked by `incident link`, acknowledged, mitigated, resolved; its events, and
 * `incident postmortem` as Markdown (section by section), as a file and as --json.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { PostmortemCommandResult } from '../cli/commands/incident/postmortem.ts';
import type { LinkCommandResult } from '../cli/commands/incident/link.ts';
import {
  jsonOf,
  makeSandbox,
  runIncident,
  startCliOrg,
  type CliOrg,
  type Sandbox,
  type SfFailure,
  type SfSuccess
} from '../cli/test-cli.ts';
import type { ConsoleCalendar } from '../preview/controller/incident-console-controller.ts';
import {
  businessText,
  renderPostmortem,
  slaOutcome,
  type Postmortem
} from './postmortem.ts';

const NINE_TO_FIVE: ConsoleCalendar = {
  timeZone: 'UTC',
  weekly: {
    sunday: null,
    monday: { start: '09:00', end: '17:00' },
    tuesday: { start: '09:00', end: '17:00' },
    wednesday: { start: '09:00', end: '17:00' },
    thursday: { start: '09:00', end: '17:00' },
    friday: { start: '09:00', end: '17:00' },
    saturday: null
  },
  holidays: []
};

test('SLA outcomes count business time: met with time to spare, missed or breached by how much', () => {
  // Monday 2026-03-02 16:00 UTC; due Tuesday 10:00, two business hours later.
  const start = '2026-03-02T16:00:00.000Z';
  const due = '2026-03-03T10:00:00.000Z';
  const now = new Date('2026-03-03T12:00:00.000Z');
  const outcome = (completedAt: string | null) =>
    slaOutcome(start, due, completedAt, 75, NINE_TO_FIVE, now);
  assert.deepEqual(outcome('2026-03-02T16:30:00.000Z'), {
    state: 'met',
    due,
    completedAt: '2026-03-02T16:30:00.000Z',
    overdueMinutes: 0,
    remainingMinutes: 90
  });
  // Done at 11:00: one business hour late, not 25 wall hours.
  assert.equal(outcome('2026-03-03T11:00:00.000Z').overdueMinutes, 60);
  assert.equal(outcome('2026-03-03T11:00:00.000Z').state, 'missed');
  assert.deepEqual(
    [outcome(null).state, outcome(null).overdueMinutes],
    ['breached', 120]
  );
  assert.equal(
    slaOutcome(start, null, null, null, NINE_TO_FIVE, now).state,
    'no-sla'
  );
  assert.equal(
    slaOutcome(start, null, null, 75, NINE_TO_FIVE, now).state,
    'no-due'
  );
  assert.equal(businessText(1650), '27 h 30 min');
  assert.equal(businessText(45), '45 min');
});

function sample(): Postmortem {
  return {
    generatedAt: '2026-03-03T12:00:00.000Z',
    incident: {
      id: '0Ia000000000001AAA',
      number: '00000007',
      subject: 'Inverters offline | North',
      status: 'Resolved',
      severity: 1,
      priority: 'Critical',
      urgency: 'High',
      impact: 'High',
      owner: 'Ana Owner',
      detectedAt: '2026-03-03T08:00:00.000Z',
      resolvedAt: '2026-03-03T11:00:00.000Z'
    },
    impact: {
      linkedCases: 3,
      openCases: 1,
      closedCases: 2,
      affectedAccounts: 2,
      keyAccounts: [{ id: '001000000000001AAA', name: 'Big Solar' }],
      firstCaseAt: '2026-03-03T07:30:00.000Z',
      duration: {
        from: '2026-03-03T08:00:00.000Z',
        to: '2026-03-03T11:00:00.000Z',
        ongoing: false,
        wallMinutes: 180,
        businessMinutes: 120
      },
      businessTimeZone: 'America/Los_Angeles'
    },
    milestones: [
      {
        name: 'detected',
        at: '2026-03-03T08:00:00.000Z',
        wallMinutes: 0,
        businessMinutes: 0
      },
      {
        name: 'acknowledged',
        at: '2026-03-03T08:40:00.000Z',
        wallMinutes: 40,
        businessMinutes: 0
      },
      { name: 'mitigated', at: null },
      {
        name: 'resolved',
        at: '2026-03-03T11:00:00.000Z',
        wallMinutes: 180,
        businessMinutes: 120
      }
    ],
    timeline: [
      {
        occurredAt: '2026-03-03T08:20:00.000Z',
        type: 'Severity',
        summary: 'Severity 3 → 1',
        actor: 'Ana Owner',
        source: 'Automation',
        visibility: 'Internal',
        starred: true
      },
      {
        occurredAt: '2026-03-03T11:00:00.000Z',
        type: 'Milestone',
        summary: 'Incident resolved',
        actor: 'Automation',
        source: 'Automation',
        visibility: 'Customer-Facing',
        starred: false
      }
    ],
    sla: {
      response: {
        state: 'missed',
        due: '2026-03-03T08:30:00.000Z',
        completedAt: '2026-03-03T08:40:00.000Z',
        overdueMinutes: 10,
        remainingMinutes: 0
      },
      resolution: {
        state: 'met',
        due: '2026-03-03T12:00:00.000Z',
        completedAt: '2026-03-03T11:00:00.000Z',
        overdueMinutes: 0,
        remainingMinutes: 60
      }
    },
    openQuestions: ['What was the root cause, and how was it found?']
  };
}

/** The draft's sections, in order. */
const SECTIONS = [
  'Summary',
  'Impact',
  'Milestones',
  'Timeline',
  'SLA outcome',
  'Open questions'
];

/** The Markdown's level-2 sections by heading, each the text up to the next heading. */
function sections(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    found.set(part.slice(0, newline), part.slice(newline + 1).trim());
  }
  return found;
}

test('the Markdown has every section, in order, with the data in place', () => {
  const markdown = renderPostmortem(sample());
  assert.match(
    markdown,
    /^# Postmortem draft: incident 00000007, Inverters offline \| North\n/
  );
  const parts = sections(markdown);
  assert.deepEqual([...parts.keys()], SECTIONS);
  const summary = parts.get('Summary') ?? '';
  // A pipe in the subject does not break the table.
  assert.match(summary, /\| Subject \| Inverters offline \\\| North \|/);
  assert.match(summary, /\| Severity \| 1 \|/);
  assert.match(summary, /\| Urgency \/ impact \| High \/ High \|/);
  assert.match(summary, /\| Owner \| Ana Owner \|/);
  assert.match(summary, /\| Resolved \| 2026-03-03 11:00 UTC \|/);
  assert.equal(
    parts.get('Impact'),
    [
      '- Linked cases: 3 (1 open, 2 closed)',
      '- Affected accounts: 2',
      '- Key accounts: Big Solar',
      '- Duration: 3 h of wall time, 2 h of business time (business hours in America/Los_Angeles)'
    ].join('\n')
  );
  const milestones = parts.get('Milestones') ?? '';
  assert.match(
    milestones,
    /\| Acknowledged \(first response\) \| 2026-03-03 08:40 UTC \| 40 min \| 0 min \|/
  );
  assert.match(milestones, /\| Mitigated \| not recorded \| {2}\| {2}\|/);
  const timeline = parts.get('Timeline') ?? '';
  assert.match(timeline, /^1 starred event\(s\) and 1 milestone event\(s\)/);
  assert.match(
    timeline,
    /\| 2026-03-03 08:20 UTC \| ★ Severity \| Severity 3 → 1 \| Ana Owner \|/
  );
  assert.equal(
    parts.get('SLA outcome'),
    [
      '- Response: breached by 10 min of business time: done 2026-03-03 08:40 UTC, due 2026-03-03 08:30 UTC',
      '- Resolution: met: done 2026-03-03 11:00 UTC, due 2026-03-03 12:00 UTC, 1 h of business time to spare'
    ].join('\n')
  );
  assert.equal(
    parts.get('Open questions'),
    '- [ ] What was the root cause, and how was it found?'
  );
});

test('an empty timeline says how to fill it; an ongoing incident says until when it counted', () => {
  const p = sample();
  p.timeline = [];
  p.impact.duration.ongoing = true;
  p.impact.businessTimeZone = null;
  const parts = sections(renderPostmortem(p));
  assert.match(parts.get('Timeline') ?? '', /^No starred events or milestone/);
  assert.match(
    parts.get('Impact') ?? '',
    /\(around the clock; ongoing: counted until 2026-03-03 11:00 UTC\)$/
  );
});

// ---- End to end through the CLI -----------------------------------------------------------

let sandbox: Sandbox;
let org: CliOrg;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The incident's story, in the past so the org's clock does not matter. */
const detected = new Date(Date.now() - 6 * HOUR);
const at = (minutes: number): string =>
  new Date(detected.getTime() + minutes * MINUTE).toISOString();

interface Story {
  incidentId: string;
  number: string;
  caseIds: string[];
}
let story: Story;

before(async () => {
  sandbox = makeSandbox();
  org = await startCliOrg(sandbox);
  const conn = org.conn;
  const accounts = await conn
    .sobject('Account')
    .create([
      { Name: 'Big Solar', Key_Account__c: true },
      { Name: 'Small Roofs' }
    ]);
  const asset = await conn
    .sobject('Asset')
    .create({ Name: 'Inverter site', AccountId: accounts[0]?.id });
  const cases = await conn.sobject('Case').create(
    Array.from({ length: 4 }, (_, i) => ({
      Subject: `Inverter offline ${i}`,
      AccountId: accounts[i % 2]?.id,
      AssetId: asset.id
    }))
  );
  // Created at severity 3, detected six hours ago.
  const incident = await conn.sobject('Incident').create({
    Subject: 'Inverters offline in the north',
    Urgency: 'Medium',
    Impact: 'Medium',
    Status: 'New',
    DetectedDateTime: detected.toISOString()
  });
  await conn
    .sobject('IncidentRelatedItem')
    .create({ IncidentId: incident.id, AssetId: asset.id });
  const number = await conn.query<{ IncidentNumber: string }>(
    `SELECT IncidentNumber FROM Incident WHERE Id = '${String(incident.id)}'`
  );
  story = {
    incidentId: String(incident.id),
    number: number.records[0]?.IncidentNumber ?? '',
    caseIds: cases.map((c) => String(c.id))
  };
});
after(async () => {
  await org.stop();
  sandbox.dispose();
});

async function update(fields: Record<string, unknown>): Promise<void> {
  const saved = await org.conn
    .sobject('Incident')
    .update({ Id: story.incidentId, ...fields });
  assert.ok(saved.success, JSON.stringify(saved));
}

async function postmortem(
  args: string[] = []
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runIncident(
    [
      'postmortem',
      '--target-org',
      'incident-local',
      '--incident',
      story.number,
      ...args
    ],
    sandbox
  );
}

test("an incident's life shows as events and in the postmortem (Markdown, file and --json)", async () => {
  // Severity raised to 1: the SLA is recomputed from detection (30 min / 4 h).
  await update({ Urgency: 'High', Impact: 'High' });
  const link = await runIncident(
    [
      'link',
      '--target-org',
      'incident-local',
      '--incident',
      story.number,
      '--json'
    ],
    sandbox
  );
  assert.equal(link.code, 0, link.stderr);
  const linked = (jsonOf(link) as SfSuccess<LinkCommandResult>).result;
  assert.equal(linked.linked, 4);
  assert.deepEqual(linked.timeline, { created: 1, existing: 0, failed: [] });
  // Acknowledged 40 minutes in (10 past the response target), mitigated at 2 h, resolved at
  // 5 h (an hour past the resolution target).
  await update({ Status: 'In Progress', Sla_Responded_At__c: at(40) });
  await update({ Mitigated_At__c: at(120) });
  await update({ Status: 'Resolved', ResolutionDateTime: at(300) });

  const events = await org.conn.query<{
    Id: string;
    Type__c: string;
    Source__c: string;
  }>(
    `SELECT Id, Type__c, Source__c FROM Incident_Event__c WHERE Incident__c = '${story.incidentId}' ORDER BY Occurred_At__c, Id`
  );
  const types = events.records.map((e) => e.Type__c);
  for (const type of [
    'Created',
    'Severity',
    'CaseLinked',
    'Status',
    'Milestone'
  ])
    assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
  assert.equal(types.filter((t) => t === 'Milestone').length, 4);
  // Star the severity change and the link for the review.
  const starred = events.records.filter(
    (e) => e.Type__c === 'Severity' || e.Type__c === 'CaseLinked'
  );
  const saved = await org.conn
    .sobject('Incident_Event__c')
    .update(starred.map((e) => ({ Id: e.Id, Starred__c: true })));
  assert.ok(
    saved.every((s) => s.success),
    JSON.stringify(saved)
  );

  const printed = await postmortem();
  assert.equal(printed.code, 0, printed.stderr);
  const parts = sections(printed.stdout);
  assert.deepEqual([...parts.keys()], SECTIONS);
  assert.match(
    printed.stdout,
    new RegExp(
      `^# Postmortem draft: incident ${story.number}, Inverters offline in the north`,
      'm'
    )
  );
  const summary = parts.get('Summary') ?? '';
  assert.match(summary, /\| Severity \| 1 \|/);
  assert.match(summary, /\| Priority \| Critical \|/);
  assert.match(summary, /\| Status \| Resolved \|/);
  assert.match(summary, /\| Owner \| \S.* \|/);
  assert.equal(
    parts.get('Impact'),
    [
      '- Linked cases: 4 (4 open, 0 closed)',
      '- Affected accounts: 2',
      '- Key accounts: Big Solar',
      '- Duration: 5 h of wall time, 5 h of business time (around the clock)'
    ].join('\n')
  );
  const milestones = parts.get('Milestones') ?? '';
  assert.match(milestones, /\| Detected \| .* UTC \| 0 min \| 0 min \|/);
  assert.match(
    milestones,
    /\| Acknowledged \(first response\) \| .* \| 40 min \| 40 min \|/
  );
  assert.match(milestones, /\| Mitigated \| .* \| 2 h \| 2 h \|/);
  assert.match(milestones, /\| Resolved \| .* \| 5 h \| 5 h \|/);
  const timeline = parts.get('Timeline') ?? '';
  assert.match(timeline, /^2 starred event\(s\) and 4 milestone event\(s\)/);
  assert.match(timeline, /★ Severity/);
  assert.match(
    timeline,
    /★ CaseLinked \| 4 cases of 2 accounts linked by incident link/
  );
  assert.equal(timeline.match(/\| Milestone \|/g)?.length, 4);
  // The link's event names the CLI's user (its sf username), the automation's the org user.
  const linkRow = timeline.split('\n').find((l) => l.includes('★ CaseLinked'));
  assert.equal(linkRow?.split(' | ').at(-1), `${org.started.username} |`);
  assert.match(
    parts.get('SLA outcome') ?? '',
    /^- Response: breached by 10 min of business time: .*\n- Resolution: breached by 1 h of business time: /
  );
  const questions = parts.get('Open questions') ?? '';
  assert.match(questions, /The response SLA was breached by 10 min/);
  assert.match(questions, /The resolution SLA was breached by 1 h/);
  assert.match(questions, /1 key account\(s\) were affected/);

  // --output writes the same Markdown to a file; --json returns it as data.
  const file = path.join(sandbox.cwd, 'pm.md');
  const written = await postmortem(['--output', 'pm.md', '--json']);
  assert.equal(written.code, 0, written.stderr);
  const result = (jsonOf(written) as SfSuccess<PostmortemCommandResult>).result;
  assert.equal(result.output, file);
  assert.equal(readFileSync(file, 'utf8'), result.markdown);
  assert.equal(
    result.markdown.replace(/^_Draft generated .*_$/m, ''),
    printed.stdout.trimEnd().replace(/^_Draft generated .*_$/m, '') + '\n'
  );
  assert.equal(result.incident.id, story.incidentId);
  assert.equal(result.incident.severity, 1);
  assert.deepEqual(
    [result.impact.linkedCases, result.impact.affectedAccounts],
    [4, 2]
  );
  assert.deepEqual(
    result.milestones.map((m) => [m.name, m.wallMinutes]),
    [
      ['detected', 0],
      ['acknowledged', 40],
      ['mitigated', 120],
      ['resolved', 300]
    ]
  );
  assert.deepEqual(
    [result.sla.response.state, result.sla.response.overdueMinutes],
    ['missed', 10]
  );
  assert.deepEqual(
    [result.sla.resolution.state, result.sla.resolution.overdueMinutes],
    ['missed', 60]
  );
  assert.equal(result.timeline.filter((e) => e.starred).length, 2);
  assert.ok(result.api.apiCalls > 0);
  assert.equal(
    Object.keys(result.api.callsByEndpoint).filter((e) => !e.startsWith('GET'))
      .length,
    0,
    'the postmortem only reads'
  );
});

test('bad input exits 2 and writes nothing: an unknown incident, a missing folder, a folder as the file', async () => {
  const unknown = await runIncident(
    [
      'postmortem',
      '--target-org',
      'incident-local',
      '--incident',
      '42424242',
      '--output',
      'never.md',
      '--json'
    ],
    sandbox
  );
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(
    (jsonOf(unknown) as SfFailure).message,
    /^--incident: no incident 42424242 in the org; give an incident number/
  );
  // The postmortem's own error, not the cases module's CasesInputError it used to pass on.
  assert.equal((jsonOf(unknown) as SfFailure).name, 'PostmortemInputError');
  assert.equal(existsSync(path.join(sandbox.cwd, 'never.md')), false);

  const missing = await postmortem([
    '--output',
    'no-such-folder/pm.md',
    '--json'
  ]);
  assert.equal(missing.code, 2);
  assert.match(
    (jsonOf(missing) as SfFailure).message,
    /^--output: the folder .*no-such-folder does not exist/
  );
  assert.equal(existsSync(path.join(sandbox.cwd, 'no-such-folder')), false);

  const folder = await postmortem(['--output', '.', '--json']);
  assert.equal(folder.code, 2);
  assert.match(
    (jsonOf(folder) as SfFailure).message,
    /^--output: .* is a folder/
  );

  const none = await runIncident(
    ['postmortem', '--target-org', 'incident-local', '--json'],
    sandbox
  );
  assert.equal(none.code, 2);
  assert.match(
    (jsonOf(none) as SfFailure).message,
    /Missing required flag incident/
  );
});
