import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_PLAN_FILE, loadCasesPlan } from './plan-file.ts';

test("the project's plan file has a valid cases section", () => {
  const plan = loadCasesPlan(DEFAULT_PLAN_FILE);
  assert.equal(plan.relationshipType, 'Root Cause');
  assert.ok(plan.detect.groupBy.length > 0);
});

test('a bad cases section is a usage error (exit 2) naming the file and the JSON path', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cases-plan-'));
  const file = path.join(dir, 'plan.json');
  const plan = JSON.parse(readFileSync(DEFAULT_PLAN_FILE, 'utf8')) as Record<
    string,
    unknown
  >;
  writeFileSync(
    file,
    JSON.stringify({ ...plan, cases: { detect: { threshold: 1 } } })
  );
  assert.throws(
    () => loadCasesPlan(file),
    (
      error: Error & {
        exitCode?: number;
        data?: { file: string; problems: { path: string }[] };
      }
    ) => {
      assert.equal(error.exitCode, 2);
      const data = error.data;
      assert.ok(data);
      assert.equal(data.file, file);
      assert.ok(
        data.problems.some((p) => p.path.includes('cases.detect.threshold')),
        JSON.stringify(data)
      );
      return true;
    }
  );
});
