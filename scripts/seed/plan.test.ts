/**
 * The plan file's checks: the shipped plan is valid, and a corpus of bad plans, each with its
 * exact messages (<name>.expected.txt beside <name>.json). Plans whose problems only the org can
 * tell (users, accounts, business hours) are checked against a local org.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestOrg } from '../local-org/test-org.ts';
import { loadPlan, parsePlan, PlanError, seedPlan } from './index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE_CORPUS = path.join(here, '__fixtures__', 'bad-plans');
const ORG_CORPUS = path.join(here, '__fixtures__', 'bad-plans-org');
const PLAN = path.join(here, '..', '..', 'config', 'incident-plan.json');
/** UPDATE_FIXTURES=1 rewrites the expected files from the current messages (review the diff). */
const UPDATE = process.env.UPDATE_FIXTURES === '1';

function fixtures(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

function expected(dir: string, name: string, actual: string): string {
  const file = path.join(dir, name.replace(/\.json$/, '.expected.txt'));
  if (UPDATE) writeFileSync(file, `${actual}\n`);
  return readFileSync(file, 'utf8').trimEnd();
}

function planErrorText(error: unknown): string {
  assert.ok(
    error instanceof PlanError,
    `expected a PlanError, got ${String(error)}`
  );
  return error.message;
}

describe('the shipped plan', () => {
  it('is valid and holds the ITIL matrix, the default SLA and a 24x7 roster', () => {
    const plan = loadPlan(PLAN);
    assert.equal(plan.severityMatrix.length, 9);
    assert.deepEqual(
      plan.slaPolicy.targets.map((t) => [
        t.severity,
        t.responseMinutes,
        t.resolutionMinutes
      ]),
      [
        [1, 30, 240],
        [2, 60, 480],
        [3, 120, 10080]
      ]
    );
    const roles = new Set(plan.roster.map((m) => m.role));
    assert.equal(roles.size, 4);
  });
});

describe('bad plan files', () => {
  const names = fixtures(FILE_CORPUS);
  it('form a corpus of at least 30', () => {
    assert.ok(names.length >= 30, `only ${names.length} fixtures`);
  });
  for (const name of names)
    it(name, () => {
      const text = readFileSync(path.join(FILE_CORPUS, name), 'utf8');
      let actual = '';
      try {
        parsePlan(text, name);
        assert.fail(`${name} was accepted`);
      } catch (error) {
        actual = planErrorText(error);
      }
      assert.equal(actual, expected(FILE_CORPUS, name, actual));
    });
});

describe('plans the org refutes', () => {
  for (const name of fixtures(ORG_CORPUS))
    it(name, async () => {
      const t = await startTestOrg({ dbPath: ':memory:' });
      try {
        const plan = parsePlan(
          readFileSync(path.join(ORG_CORPUS, name), 'utf8'),
          name
        );
        let actual = '';
        await assert.rejects(
          seedPlan(t.conn, plan, {
            file: name,
            createUsers: name.includes('create-users')
          }),
          (error: unknown) => {
            actual = planErrorText(error);
            return true;
          }
        );
        assert.equal(actual, expected(ORG_CORPUS, name, actual));
        // Nothing was written: the roster is still empty.
        const members = await t.conn.query(
          'SELECT Id FROM Incident_Roster_Member__c'
        );
        assert.equal(members.totalSize, 0);
      } finally {
        await t.dispose();
      }
    });
});
