/**
 * The console's Timeline section in Chromium, against the preview's local org: the demo
 * incident's events (written by the local org's automation through timeline.js, and by the
 * tooling) render newest first as the org holds them; a note added in the section shows at the
 * top and is in the org once; a star is saved; an incident with 1,000 events renders its first
 * page and pages through all of them with "Load older events", each event once and in order.
 * The render times are measured and written to .tmp/preview-artifacts/timeline-render.json
 * (reported, not asserted: a timing belongs to a benchmark, not a test).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumPath } from './browser.ts';
import {
  ARTIFACTS_DIR,
  startBrowserSession,
  type BrowserSession
} from './browser/session.ts';
import { writeEvents, type TimelineEventInput } from '../timeline/events.ts';

const SKIP = chromiumPath() ? false : 'Chromium is not installed';
const TIMEOUT = 60_000;
/** The section's page size (incidentTimeline's PAGE_SIZE). */
const PAGE_SIZE = 50;
const LARGE = 1000;

const items = 'c-incident-timeline li[data-id]';

async function timelineReady(page: Page): Promise<void> {
  await page
    .locator(
      'c-incident-timeline .timeline-events, c-incident-timeline .no-events'
    )
    .first()
    .waitFor({ timeout: TIMEOUT });
}

async function shownIds(page: Page): Promise<string[]> {
  return page
    .locator(items)
    .evaluateAll((nodes) =>
      nodes.map(
        (node) => (node as unknown as { dataset: { id: string } }).dataset.id
      )
    );
}

describe(
  'the Timeline section of the console preview in Chromium',
  { skip: SKIP },
  () => {
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

    it("shows the demo incident's events newest first, as the org holds them", async () => {
      const id = session.preview.demo.severity1IncidentId;
      await page.goto(session.recordUrl('Incident', id));
      await timelineReady(page);
      const rows = await session.preview.client.queryAll<{
        Id: string;
        Summary__c: string;
      }>(
        `SELECT Id, Summary__c FROM Incident_Event__c WHERE Incident__c = '${id}' ORDER BY Occurred_At__c DESC, Id DESC`
      );
      assert.ok(rows.length > 0, 'the automation and the tooling wrote events');
      assert.deepEqual(
        await shownIds(page),
        rows.slice(0, PAGE_SIZE).map((row) => row.Id)
      );
      const title = await page
        .locator('c-incident-timeline .slds-card__header-title')
        .innerText();
      assert.equal(title.trim(), `Timeline (${rows.length})`);
      const first = page.locator(items).first();
      assert.equal(
        (await first.locator('.event-summary').innerText()).trim(),
        rows[0]?.Summary__c
      );
      // The details open with the keyboard.
      await first.locator('.toggle-details').focus();
      await page.keyboard.press('Enter');
      await first.locator('.event-details').waitFor({ timeout: TIMEOUT });
      assert.equal(
        await first.locator('.toggle-details').getAttribute('aria-expanded'),
        'true'
      );
      await session.screenshot(page, 'timeline-demo');
      assert.deepEqual(await session.axe(page), []);
    });

    it('adds a note that shows at the top and is in the org once, and stars it', async () => {
      const id = session.preview.demo.severity1IncidentId;
      await page.goto(session.recordUrl('Incident', id));
      await timelineReady(page);
      const text = 'Browser test: vendor confirmed the firmware fault';
      await page.locator('c-incident-timeline .note-text textarea').fill(text);
      // A double click sends one note: the button is disabled while it saves, and the
      // client key would make a second call land on the same note anyway.
      await page.locator('c-incident-timeline .add-note button').dblclick();
      const top = page.locator(items).first();
      await top
        .locator('.event-summary', { hasText: text })
        .waitFor({ timeout: TIMEOUT });
      assert.equal(
        (
          await page
            .locator('c-incident-timeline .timeline-announcement')
            .innerText()
        ).trim(),
        `Note added: ${text}`
      );
      const notes = await session.preview.client.queryAll<{
        Id: string;
        Source__c: string;
        Visibility__c: string;
      }>(
        `SELECT Id, Source__c, Visibility__c FROM Incident_Event__c WHERE Incident__c = '${id}' AND Type__c = 'Note' AND Summary__c = '${text}'`
      );
      assert.equal(notes.length, 1, 'one note, not two');
      const [note] = notes;
      assert.ok(note);
      assert.equal(note.Source__c, 'Console');
      assert.equal(note.Visibility__c, 'Internal');
      assert.equal(await top.getAttribute('data-id'), note.Id);

      await top.locator('.star button').click();
      await page
        .locator('c-incident-timeline .timeline-announcement', {
          hasText: 'Starred:'
        })
        .waitFor({ state: 'attached', timeout: TIMEOUT });
      const [starred] = await session.preview.client.queryAll<{
        Starred__c: boolean;
      }>(`SELECT Starred__c FROM Incident_Event__c WHERE Id = '${note.Id}'`);
      assert.equal(starred?.Starred__c, true);
      await session.screenshot(page, 'timeline-note');
      assert.deepEqual(await session.axe(page), []);
    });

    it('renders the first page of 1,000 events and pages through all of them', async () => {
      const client = session.preview.client;
      const subject = 'Browser test: a long incident';
      const [created] = await client.createRecords(
        'Incident',
        [{ Subject: subject, Urgency: 'Low', Impact: 'Low' }],
        // After a transient failure: the incident landed when one has the subject.
        async () => {
          const [row] = await client.queryAll<{ Id: string }>(
            `SELECT Id FROM Incident WHERE Subject = '${subject}'`
          );
          return [row?.Id];
        }
      );
      const incidentId = created?.id;
      assert.ok(created?.success && incidentId);
      const start = Date.parse('2026-01-05T00:00:00.000Z');
      const events: TimelineEventInput[] = Array.from(
        { length: LARGE },
        (_unused, i) => ({
          incidentId,
          type: i % 10 === 0 ? 'CaseLinked' : 'Note',
          key: `${incidentId}:Note:browser-${i}`,
          occurredAt: new Date(start + i * 60_000).toISOString(),
          summary: `Event ${i}`,
          payload: { index: i },
          source: 'CLI',
          actorName: 'browser.test@example.com'
        })
      );
      const written = await writeEvents(client, events);
      assert.equal(written.failed.length, 0);

      const opened = Date.now();
      await page.goto(session.recordUrl('Incident', incidentId));
      await page.locator(items).first().waitFor({ timeout: TIMEOUT });
      const firstPageMs = Date.now() - opened;
      assert.equal(await page.locator(items).count(), PAGE_SIZE);
      const total = await client.queryAll<{ Id: string }>(
        `SELECT Id FROM Incident_Event__c WHERE Incident__c = '${incidentId}'`
      );

      // Per older page: the request (its timing in the browser) and the whole click-to-rows
      // time, measured in the page (performance.now and animation frames), so the render's
      // own share is the difference and Playwright's polling is not counted.
      const pageTimes: { totalMs: number; requestMs: number }[] = [];
      const timeline = page.locator('c-incident-timeline');
      const loadMore = timeline.locator('.load-more button');
      while ((await loadMore.count()) > 0) {
        const before = await page.locator(items).count();
        // Anonymous callbacks only: a named inner function would carry the bundler's name
        // helper, which does not exist in the page.
        const rendered = timeline.evaluate(async (host, shown) => {
          const browser = globalThis as unknown as {
            requestAnimationFrame(callback: () => void): void;
          };
          interface Root {
            querySelectorAll(selector: string): ArrayLike<{ shadowRoot: Root }>;
          }
          // The rows are in the lists of c-incident-timeline-events, one per page.
          const root = (host as unknown as { shadowRoot: Root }).shadowRoot;
          const start = performance.now();
          while (
            Array.from(
              root.querySelectorAll('c-incident-timeline-events'),
              (list) => list.shadowRoot.querySelectorAll('li[data-id]').length
            ).reduce((sum, rows) => sum + rows, 0) <= shown
          )
            await new Promise<void>((resolve) => {
              browser.requestAnimationFrame(resolve);
            });
          return performance.now() - start;
        }, before);
        const answered = page.waitForResponse((response) =>
          response.url().includes('/IncidentTimelineController/getTimeline')
        );
        await loadMore.click();
        const response = await answered;
        const totalMs = await rendered;
        const timing = response.request().timing();
        pageTimes.push({
          totalMs: Math.round(totalMs),
          requestMs: Math.round(timing.responseEnd - timing.requestStart)
        });
      }
      const ids = await shownIds(page);
      assert.equal(ids.length, total.length, 'every event shows');
      assert.equal(new Set(ids).size, ids.length, 'none twice');
      const summaries = await page
        .locator('c-incident-timeline li[data-id] .event-summary')
        .allInnerTexts();
      // The automation's own events of the new incident happened now, after the 1,000.
      assert.deepEqual(
        summaries
          .map((summary) => summary.trim())
          .filter((summary) => summary.startsWith('Event ')),
        Array.from({ length: LARGE }, (_unused, i) => `Event ${LARGE - 1 - i}`),
        'the 1,000 events newest first'
      );
      const median = (values: number[]): number =>
        [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
      const renders = pageTimes.map((time) => time.totalMs - time.requestMs);
      const figures = {
        events: total.length,
        pageSize: PAGE_SIZE,
        firstPageMs,
        olderPages: pageTimes.length,
        olderPageMedianMs: median(pageTimes.map((time) => time.totalMs)),
        olderPageRequestMedianMs: median(
          pageTimes.map((time) => time.requestMs)
        ),
        olderPageRenderMedianMs: median(renders),
        // The render of the last pages, with 900+ rows already shown, against the first ones.
        renderFirstThreeMs: renders.slice(0, 3),
        renderLastThreeMs: renders.slice(-3)
      };
      writeFileSync(
        path.join(ARTIFACTS_DIR, 'timeline-render.json'),
        `${JSON.stringify(figures, null, 2)}\n`
      );
      process.stdout.write(`timeline render: ${JSON.stringify(figures)}\n`);
      await session.screenshot(page, 'timeline-1000', { fullPage: false });
      assert.deepEqual(session.problems, []);
    });
  }
);
