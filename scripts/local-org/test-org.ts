/** Test helper: a local org on a free port with a throwaway database, and a jsforce connection to it. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import {
  startLocalOrg,
  type LocalOrg,
  type LocalOrgOptions
} from './server.ts';

export interface TestOrg {
  org: LocalOrg;
  conn: Connection;
  dbPath: string;
  dispose(): Promise<void>;
}

export async function startTestOrg(
  options: LocalOrgOptions = {}
): Promise<TestOrg> {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-org-'));
  const dbPath = options.dbPath ?? path.join(dir, 'org.db');
  const org = await startLocalOrg({ port: 0, ...options, dbPath });
  const conn = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    version: '64.0'
  });
  return {
    org,
    conn,
    dbPath,
    dispose: async () => {
      await org.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Raw HTTP against the org, for requests jsforce would never send (bad JSON, wrong types). */
export async function raw(
  org: LocalOrg,
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${org.instanceUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${org.accessToken}`, ...headers },
    ...(body === undefined ? {} : { body })
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** A record's result from sObject Collections, as the org sends it. */
export interface CollectionSaveResult {
  id?: string | null;
  success: boolean;
  errors: { statusCode: string; message: string }[];
}

/** Creates records of one type in one sObject Collections call, returning each record's result. */
export async function createViaCollections(
  conn: Connection,
  type: string,
  records: Record<string, unknown>[],
  allOrNone: boolean
): Promise<CollectionSaveResult[]> {
  return conn.request<CollectionSaveResult[]>({
    method: 'POST',
    url: `/services/data/v${conn.version}/composite/sobjects`,
    body: JSON.stringify({
      allOrNone,
      records: records.map((r) => ({ attributes: { type }, ...r }))
    }),
    headers: { 'content-type': 'application/json' }
  });
}

/** Asserts that a jsforce call fails with the platform error code (jsforce also puts it in `name`). */
export async function rejectsWithCode(
  promise: PromiseLike<unknown>,
  errorCode: string
): Promise<void> {
  await assert.rejects(
    Promise.resolve(promise),
    (error: { errorCode?: string; name?: string }) => {
      assert.equal(error.errorCode ?? error.name, errorCode);
      return true;
    }
  );
}

/**
 * Creates records of one type through jsforce (200 a call, as many calls as it takes),
 * asserting each succeeded; their ids in order.
 */
export async function createdIds(
  conn: Connection,
  type: string,
  records: Record<string, unknown>[]
): Promise<string[]> {
  const saved = await conn
    .sobject(type)
    .create(records, { allowRecursive: true });
  return saved.map((s) => {
    assert.ok(s.success, JSON.stringify(s));
    return s.id;
  });
}

/**
 * Test orgs started on demand and stopped together, for a test file that starts a fresh org per
 * scenario: start() is startTestOrg, disposeAll() goes in the file's after hook.
 */
export function testOrgPool(): {
  start: (options?: LocalOrgOptions) => Promise<TestOrg>;
  disposeAll: () => Promise<void>;
} {
  const started: TestOrg[] = [];
  return {
    start: async (options = {}) => {
      const org = await startTestOrg(options);
      started.push(org);
      return org;
    },
    disposeAll: async () => {
      await Promise.all(started.splice(0).map((org) => org.dispose()));
    }
  };
}

/** How a child process ended: its exit code, or the signal that ended it. */
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs a TypeScript script in a child node (through tsx) with these variables beside the
 * parent's environment, its output ignored, and kills it with SIGKILL after killAfterMs (null:
 * never), for the crash-then-rerun tests of writers against a local org.
 */
export function runScript(
  script: string,
  env: Record<string, string>,
  killAfterMs: number | null
): Promise<ChildEnd> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...env },
      stdio: 'ignore'
    });
    const timer =
      killAfterMs === null
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}
