/**
 * The preview server's API routes against a real local org, without a browser or a build:
 * the Apex route answers as the controller does and fails as the platform does, updateRecord
 * runs the org's automation, a dead org gets a 503 that says what to do, and files outside the
 * site are never served.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { clientFor } from './harness.ts';
import { startPreviewServer, type PreviewServer } from './server.ts';
import { parseStartArgs, UsageError } from './start.ts';

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function call(
  server: PreviewServer,
  method: string,
  url: string,
  body?: unknown
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(url, server.url), {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>
  };
}

describe('the preview server', () => {
  let testOrg: TestOrg;
  let server: PreviewServer;
  let siteDir: string;
  let incidentId: string;

  before(async () => {
    testOrg = await startTestOrg();
    siteDir = mkdtempSync(path.join(tmpdir(), 'preview-site-'));
    writeFileSync(path.join(siteDir, 'index.html'), '<p>preview</p>');
    server = await startPreviewServer({
      siteDir,
      org: clientFor(testOrg.org),
      orgUrl: testOrg.org.instanceUrl
    });
    const created = await testOrg.conn.sobject('Incident').create({
      Subject: 'Server test outage',
      Urgency: 'High',
      Impact: 'High',
      DetectedDateTime: '2026-01-05T09:00:00.000Z'
    });
    assert.ok(created.success);
    incidentId = created.id;
  });
  after(async () => {
    await server.stop();
    await testOrg.dispose();
    rmSync(siteDir, { recursive: true, force: true });
  });

  it('answers an Apex call with the controller stand-in', async () => {
    const reply = await call(
      server,
      'POST',
      '/apex/IncidentConsoleController/getConsole',
      {
        recordId: incidentId
      }
    );
    assert.equal(reply.status, 200);
    assert.equal(reply.body.severity, 1);
    assert.equal(reply.body.priority, 'Critical');
    assert.equal(server.calls.get('apex.getConsole'), 1);
  });

  it('fails an Apex call as AuraHandledException with the message in body.message', async () => {
    const reply = await call(
      server,
      'POST',
      '/apex/IncidentConsoleController/getLinkedCases',
      {
        recordId: incidentId,
        pageSize: 500,
        pageNumber: 1
      }
    );
    assert.equal(reply.status, 400);
    assert.equal(
      reply.body.message,
      'pageSize must be between 1 and 200 (got 500).'
    );
    const unknown = await call(
      server,
      'POST',
      '/apex/IncidentConsoleController/deleteAll',
      {}
    );
    assert.equal(unknown.status, 404);
  });

  it('updateRecord writes through the org, whose automation recomputes severity and priority', async () => {
    const reply = await call(server, 'PATCH', `/ui-api/records/${incidentId}`, {
      fields: { Id: incidentId, Urgency: 'Low', Impact: 'Low' }
    });
    assert.equal(reply.status, 200);
    const row = (await testOrg.conn
      .sobject('Incident')
      .retrieve(incidentId)) as unknown as {
      Severity__c: number;
      Priority: string;
    };
    assert.equal(row.Severity__c, 5);
    assert.equal(row.Priority, 'Low');
  });

  it('reports a refused save in the UI API error shape', async () => {
    const reply = await call(server, 'PATCH', `/ui-api/records/${incidentId}`, {
      fields: { Id: incidentId, Urgency: 'Extreme' }
    });
    assert.equal(reply.status, 400);
    const output = reply.body.output as {
      errors: { message: string }[];
      fieldErrors: Record<string, { message: string }[]>;
    };
    const messages = [
      ...output.errors.map((e) => e.message),
      ...Object.values(output.fieldErrors)
        .flat()
        .map((e) => e.message)
    ];
    assert.ok(
      messages.some((m) => m.includes('Extreme')),
      JSON.stringify(reply.body)
    );
  });

  it('never serves a file outside the site', async () => {
    const response = await fetch(
      new URL('/..%2f..%2fetc%2fpasswd', server.url)
    );
    assert.equal(response.status, 404);
    const index = await fetch(server.url);
    assert.equal(await index.text(), '<p>preview</p>');
  });

  it('answers 503 naming the org and npm start when the org does not answer', async () => {
    const orgUrl = `http://127.0.0.1:${await closedPort()}`;
    const dead = await startPreviewServer({
      siteDir,
      org: clientFor({ instanceUrl: orgUrl, accessToken: 'x' }),
      orgUrl
    });
    try {
      const reply = await call(dead, 'GET', '/preview/api/incidents');
      assert.equal(reply.status, 503);
      assert.ok(
        String(reply.body.message).startsWith(
          `The local org at ${orgUrl} is not answering`
        ),
        String(reply.body.message)
      );
      assert.match(String(reply.body.message), /npm start/);
    } finally {
      await dead.stop();
    }
  });
});

describe('npm start arguments', () => {
  it('reads --reset and --port', () => {
    assert.deepEqual(parseStartArgs([]), { reset: false, port: 0 });
    assert.deepEqual(parseStartArgs(['--reset', '--port', '8080']), {
      reset: true,
      port: 8080
    });
  });
  it('refuses a bad port or an unknown argument, naming it', () => {
    assert.throws(
      () => parseStartArgs(['--port', 'x']),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(
          error.message,
          /--port must be a whole number from 0 to 65535 \(got x\)/
        );
        return true;
      }
    );
    assert.throws(() => parseStartArgs(['--rest']), /unknown argument --rest/);
  });
});
