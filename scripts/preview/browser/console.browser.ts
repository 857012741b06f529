/**
 * The console preview in Chromium: the incident list, the severity-1 incident's console
 * (matrix, timers), choosing another matrix cell (the page and the local org both change),
 * the Problem and Change Request pages, keyboard use, axe, and no console errors or warnings.
 * Screenshots go to .tmp/preview-artifacts; UPDATE_DOCS_SCREENSHOT=1 also copies the
 * incident's to docs/ for the README.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../build.ts';
import { chromiumPath } from '../browser.ts';
import { DEMO } from '../demo-data.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

const SKIP = chromiumPath() ? false : 'Chromium is not installed';
const TIMEOUT = 60_000;

interface IncidentRow {
  Severity__c: number;
  Priority: string;
  Urgency: string;
  Impact: string;
  DetectedDateTime: string;
  Sla_Response_Due__c: string;
  Sla_Resolution_Due__c: string;
}

async function readIncident(
  session: BrowserSession,
  id: string
): Promise<IncidentRow> {
  const [row] = await session.preview.client.queryAll<IncidentRow>(
    `SELECT Severity__c, Priority, Urgency, Impact, DetectedDateTime, Sla_Response_Due__c, Sla_Resolution_Due__c FROM Incident WHERE Id = '${id}'`
  );
  assert.ok(row, `incident ${id} exists`);
  return row;
}

/**
 * The text of the element that has focus, found through shadow roots (native or synthetic).
 * A string, as it runs in the page: the tooling's TypeScript has no DOM types.
 */
const FOCUSED_TEXT = `(() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement)
    element = element.shadowRoot.activeElement;
  return element && element.textContent ? element.textContent.trim() : '';
})()`;

/** Tabs forward until the focused element's text is `text`; fails when it never gets there. */
async function tabTo(page: Page, text: string, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<string>(FOCUSED_TEXT);
    if (focused === text) return;
  }
  assert.fail(`"${text}" was not reached with ${maxTabs} presses of Tab`);
}

async function consoleReady(page: Page): Promise<void> {
  await page
    .locator('c-incident-console [data-section="cases"] .case-counts')
    .first()
    .waitFor({ timeout: TIMEOUT });
}

describe('the console preview in Chromium', { skip: SKIP }, () => {
  let session: BrowserSession;
  let page: Page;

  before(async () => {
    session = await startBrowserSession();
    page = await session.newPage();
  });
  after(async () => {
    // Undefined when before() failed; its error is the one to report.
    await (session as BrowserSession | undefined)?.close();
  });

  it('lists the incidents with severity, status, SLA state and linked cases, sortable by keyboard', async () => {
    await page.goto(session.preview.url);
    const rows = page.locator('tr.incident-row');
    await rows.first().waitFor({ timeout: TIMEOUT });
    assert.equal(await rows.count(), 6);
    const severity1 = page.locator(
      `tr.incident-row[data-id="${session.preview.demo.severity1IncidentId}"]`
    );
    assert.equal(
      await severity1.locator('.subject').innerText(),
      DEMO.severity1Subject
    );
    assert.equal(await severity1.locator('.severity').innerText(), '1');
    assert.equal(
      await severity1.locator('.linked-cases').innerText(),
      String(DEMO.stormCases)
    );
    const breached = page.locator(
      `tr.incident-row[data-id="${session.preview.demo.breachedIncidentId}"]`
    );
    assert.equal(await breached.locator('.slds-badge').innerText(), 'Breached');
    const warning = page.locator(
      `tr.incident-row[data-id="${session.preview.demo.warningIncidentId}"]`
    );
    assert.equal(await warning.locator('.slds-badge').innerText(), 'Warning');

    // Sort by linked cases, descending, with the keyboard only.
    const sortHeader = page
      .locator('th[aria-sort]')
      .filter({ hasText: 'Linked cases' });
    await tabTo(page, 'Linked cases');
    await page.keyboard.press('Enter');
    assert.equal(await sortHeader.getAttribute('aria-sort'), 'ascending');
    await page.keyboard.press('Enter');
    assert.equal(await sortHeader.getAttribute('aria-sort'), 'descending');
    assert.equal(
      await rows.first().getAttribute('data-id'),
      session.preview.demo.severity1IncidentId
    );
    await session.screenshot(page, 'incident-list');
    assert.deepEqual(await session.axe(page), []);
  });

  it('opens the severity-1 incident by keyboard: the marked matrix cell and the running timers', async () => {
    const severity1 = session.preview.demo.severity1IncidentId;
    const link = page.locator(
      `tr.incident-row[data-id="${severity1}"] a.incident-link`
    );
    await tabTo(page, await link.innerText());
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/#/r/Incident/${severity1}`);
    await consoleReady(page);
    const current = page.locator('c-severity-matrix td[aria-current="true"]');
    // The matrix renders after the console's first data: under load that can follow consoleReady.
    await current.first().waitFor();
    assert.equal(await current.count(), 1);
    assert.equal(await current.getAttribute('data-urgency'), 'High');
    assert.equal(await current.getAttribute('data-impact'), 'High');
    assert.match(
      await current.innerText(),
      /Severity 1[\s\S]*Critical[\s\S]*Current/
    );
    const response = page.locator('li.sla-clock[data-clock="response"]');
    const resolution = page.locator('li.sla-clock[data-clock="resolution"]');
    await response.waitFor({ timeout: TIMEOUT });
    assert.equal(await response.getAttribute('data-state'), 'on-track');
    assert.equal(await resolution.getAttribute('data-state'), 'on-track');
    // Detected 8 minutes before the demo was seeded: 30 - 8 = 22 minutes, give or take the run.
    const detail = await response.locator('.clock-detail').innerText();
    const left = Number(/(\d+) min left/.exec(detail)?.[1]);
    assert.ok(left >= 15 && left <= 22, `response clock: ${detail}`);
    assert.match(
      await response.locator('.clock-label').innerText(),
      /Response/
    );
    assert.equal(
      await page
        .locator('[data-section="cases"] [data-count="total"] .count-value')
        .innerText(),
      String(DEMO.stormCases)
    );
    await session.screenshot(page, 'incident-console');
    // The README shows what a first screen shows: the top of the page.
    const file = await session.screenshot(page, 'incident-console-top', {
      fullPage: false
    });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      mkdirSync(path.join(PROJECT_ROOT, 'docs'), { recursive: true });
      copyFileSync(
        file,
        path.join(PROJECT_ROOT, 'docs', 'incident-console.png')
      );
    }
    assert.deepEqual(await session.axe(page), []);
  });

  it('choosing another cell recomputes severity, priority and due times on the page and in the local org', async () => {
    const id = session.preview.demo.severity1IncidentId;
    const before = await readIncident(session, id);
    assert.equal(before.Severity__c, 1);
    const responseTarget = page.locator(
      'li.sla-clock[data-clock="response"] .due'
    );
    const targetBefore = await responseTarget.innerText();

    const cell = page.locator(
      'button.cell-button[data-urgency="High"][data-impact="Medium"]'
    );
    await cell.focus();
    await page.keyboard.press('Enter');
    await page
      .locator(
        'c-severity-matrix td[aria-current="true"][data-urgency="High"][data-impact="Medium"]'
      )
      .waitFor({ timeout: TIMEOUT });
    await page
      .locator('.toast-title', { hasText: 'Severity updated' })
      .waitFor({ timeout: TIMEOUT });

    const after = await readIncident(session, id);
    assert.equal(after.Urgency, 'High');
    assert.equal(after.Impact, 'Medium');
    assert.equal(after.Severity__c, 2);
    assert.equal(after.Priority, 'High');
    // Severity 2: 60 / 480 minutes from the same detection time (the default hours are 24x7).
    const detected = Date.parse(after.DetectedDateTime);
    assert.equal(Date.parse(after.Sla_Response_Due__c), detected + 60 * 60_000);
    assert.equal(
      Date.parse(after.Sla_Resolution_Due__c),
      detected + 480 * 60_000
    );

    const summary = page.locator('c-incident-console .console-summary');
    await summary
      .filter({ hasText: 'Severity 2' })
      .waitFor({ timeout: TIMEOUT });
    assert.match(await summary.innerText(), /Priority High/);
    const due = page.locator('li.sla-clock[data-clock="response"] .due');
    await page.waitForFunction(
      `(document.querySelector('li.sla-clock[data-clock="response"] .due')?.textContent ?? '').trim() !== ${JSON.stringify(targetBefore.trim())}`,
      undefined,
      { timeout: TIMEOUT }
    );
    assert.notEqual((await due.innerText()).trim(), targetBefore.trim());
    // The record page's highlights read the record again after the save.
    await page
      .locator('.highlights [data-field="Priority"] .field-value', {
        hasText: 'High'
      })
      .waitFor({ timeout: TIMEOUT });
  });

  it('a problem page shows its matrix and linked cases; a change request page its linked cases', async () => {
    await page.goto(
      session.recordUrl('Problem', session.preview.demo.problemId)
    );
    await consoleReady(page);
    const current = page.locator('c-severity-matrix td[aria-current="true"]');
    assert.equal(await current.getAttribute('data-urgency'), 'High');
    assert.equal(await current.getAttribute('data-impact'), 'Medium');
    assert.equal(
      await page
        .locator('[data-section="cases"] [data-count="total"] .count-value')
        .innerText(),
      '3'
    );
    assert.match(
      await page.locator('.record-title').innerText(),
      new RegExp(DEMO.problemSubject)
    );
    await session.screenshot(page, 'problem');
    assert.deepEqual(await session.axe(page), []);

    await page.goto(
      session.recordUrl('ChangeRequest', session.preview.demo.changeRequestId)
    );
    await consoleReady(page);
    // The cases of the incident and the problem it fixes, each case once.
    assert.equal(
      await page
        .locator('[data-section="cases"] [data-count="total"] .count-value')
        .innerText(),
      String(DEMO.stormCases)
    );
    assert.equal(
      await page.locator('c-severity-matrix td[aria-current="true"]').count(),
      0
    );
    assert.equal(
      await page.locator('.related-list[data-list="issues"] li').count(),
      2,
      'the change request lists the problem and the incident it fixes'
    );
    await session.screenshot(page, 'change-request');
    assert.deepEqual(await session.axe(page), []);
  });

  it('logged no console errors or warnings', () => {
    assert.deepEqual(session.problems, []);
  });
});
