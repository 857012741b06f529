/**
 * The console's respond sections in Chromium, against the preview's local org: raising an
 * incident's severity in the matrix makes the Response section show the response plan's steps
 * (the local org runs the plan in the same request as the save); composing, previewing and
 * sending a customer update puts it in the Communications history and restarts the
 * next-update timer; the sections pass axe and log no console errors or warnings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumPath } from './browser.ts';
import { startBrowserSession, type BrowserSession } from './browser/session.ts';

const SKIP = chromiumPath() ? false : 'Chromium is not installed';
const TIMEOUT = 60_000;

/**
 * Polls until `check` holds. Playwright's locators see through the components' shadow roots;
 * a query in the page (waitForFunction) would not.
 */
async function until(
  what: string,
  check: () => Promise<boolean>,
  timeout = TIMEOUT
): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Picks a template stage in the Communications section's combobox. */
async function chooseStage(page: Page, stage: string): Promise<void> {
  await page.locator('c-incident-communications .stage-select').click();
  await page
    .locator('c-incident-communications lightning-base-combobox-item', {
      hasText: stage
    })
    .first()
    .click();
}

async function consoleReady(page: Page): Promise<void> {
  await page
    .locator('c-incident-console [data-section="cases"] .case-counts')
    .first()
    .waitFor({ timeout: TIMEOUT });
  await page
    .locator('c-incident-communications .history-title')
    .waitFor({ timeout: TIMEOUT });
}

describe(
  'the respond sections of the console preview in Chromium',
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

    it('raising the severity in the matrix shows the response steps taking place', async () => {
      // The demo incident in SLA warning is at severity 3 (medium urgency and impact).
      const id = session.preview.demo.warningIncidentId;
      await page.goto(session.recordUrl('Incident', id));
      await consoleReady(page);
      const steps = page.locator('c-incident-response li.response-step');
      const before = await steps.count();

      const cell = page.locator(
        'button.cell-button[data-urgency="High"][data-impact="High"]'
      );
      await cell.focus();
      await page.keyboard.press('Enter');
      await page
        .locator('c-incident-console .console-summary', {
          hasText: 'Severity 1'
        })
        .waitFor({ timeout: TIMEOUT });

      // The console's reload after the save reloads the section: severity 1's steps appear.
      await until(
        'the Response section lists new steps',
        async () => (await steps.count()) > before
      );
      const rows = await session.preview.client.queryAll<{
        Step__c: string;
        Trigger__c: string;
        Status__c: string;
      }>(
        `SELECT Step__c, Trigger__c, Status__c FROM Incident_Response_Action__c WHERE Incident__c = '${id}'`
      );
      // The default plan's severity 1 steps (Sev1_*: swarm, feed post, owner task, draft alert).
      const raised = rows.filter((row) => row.Step__c.startsWith('Sev1_'));
      assert.ok(
        raised.length > 0,
        `the plan took severity 1 steps: ${JSON.stringify(rows)}`
      );
      assert.equal(await steps.count(), rows.length, 'every step is listed');
      for (const row of raised) {
        const item = page.locator(
          `c-incident-response li.response-step[data-step="${row.Step__c}"]`
        );
        assert.equal(await item.count(), 1, `${row.Step__c} is listed once`);
        assert.equal(await item.getAttribute('data-status'), row.Status__c);
        assert.match(
          await item.locator('.step-trigger').innerText(),
          /Trigger: Severity (Reached|Raised)/
        );
      }
      assert.match(
        await page.locator('c-incident-response lightning-card').innerText(),
        new RegExp(`Response steps \\(${rows.length}\\)`)
      );
      await session.screenshot(page, 'respond-steps');
      assert.deepEqual(await session.axe(page), []);
    });

    it('a customer update composed, previewed and sent shows in the history and restarts the next-update timer', async () => {
      const id = session.preview.demo.severity1IncidentId;
      await page.goto(session.recordUrl('Incident', id));
      await consoleReady(page);
      const clock = page.locator('c-next-update-timer .update-clock');
      await clock.waitFor({ timeout: TIMEOUT });
      const detailBefore = await clock.locator('.update-detail').innerText();

      // Severity 1: nothing went out yet and the response plan drafted the first alert, so the
      // section starts from that draft and says so; an update is what is sent first here.
      const draftNote = page.locator('c-incident-communications .draft-note');
      await draftNote.waitFor({ timeout: TIMEOUT });
      assert.match(
        await draftNote.innerText(),
        /The response plan drafted this first alert/
      );
      await chooseStage(page, 'Update');
      const subject = page.locator(
        'c-incident-communications .subject-input input'
      );
      assert.match(await subject.inputValue(), /\{!Incident\.Subject\}/);

      await page.locator('c-incident-communications .preview-button').click();
      const preview = page.locator('c-incident-communications .preview');
      await preview.waitFor({ timeout: TIMEOUT });
      assert.doesNotMatch(
        await preview.locator('.preview-subject').innerText(),
        /\{!/,
        'the subject is merged'
      );
      const audience = await preview.locator('.audience-text').innerText();
      assert.match(
        audience,
        /^\d+ recipients?: \d+ by email, \d+ by case comment \(\d+ linked cases?\)\.$/
      );

      await page.locator('c-incident-communications .send-button').click();
      const confirm = page.locator('c-incident-communications .confirm');
      await confirm.waitFor({ timeout: TIMEOUT });
      assert.equal(await confirm.getAttribute('role'), 'alertdialog');
      assert.deepEqual(await session.axe(page), []);
      await page.locator('c-incident-communications .confirm-send').click();
      await page
        .locator('.toast-title', { hasText: 'Communication sent' })
        .waitFor({ timeout: TIMEOUT });

      const sent = page.locator(
        'c-incident-communications li.history-item:has(.history-counts)'
      );
      await sent.first().waitFor({ timeout: TIMEOUT });
      assert.equal(
        await sent.first().locator('.history-stage').innerText(),
        'Update'
      );
      assert.match(
        await sent.first().locator('.history-counts').innerText(),
        /\d+ emails?, \d+ case comments?/
      );
      const [ledger] = await session.preview.client.queryAll<{
        Id: string;
        Broadcast_Id__c: string | null;
      }>(
        `SELECT Id, Broadcast_Id__c FROM Incident_Communication__c WHERE Incident__c = '${id}' AND Stage__c = 'Update' AND Status__c = 'Sent'`
      );
      assert.ok(
        ledger?.Broadcast_Id__c,
        'the local org holds the send and its broadcast'
      );
      assert.equal(await sent.first().getAttribute('data-id'), ledger.Id);

      // Severity 1 updates every 30 minutes, now counted from this send.
      const detail = clock.locator('.update-detail');
      await until('the next-update timer restarts', async () =>
        /^(30|29) min left$/.test(await detail.innerText())
      );
      assert.equal(await clock.getAttribute('data-state'), 'ok');
      assert.notEqual(
        await clock.locator('.update-detail').innerText(),
        detailBefore,
        'the countdown restarted'
      );
      await session.screenshot(page, 'respond-communications');
      assert.deepEqual(await session.axe(page), []);
      assert.deepEqual(session.problems, []);
    });

    it("sending the plan's drafted first alert turns the draft into the send: no draft is left in the history", async () => {
      const id = session.preview.demo.severity1IncidentId;
      await page.goto(session.recordUrl('Incident', id));
      await consoleReady(page);
      const drafts = page.locator(
        'c-incident-communications li.history-item:has(.history-draft)'
      );
      assert.equal(await drafts.count(), 1, 'the draft first alert is listed');
      const draftId = await drafts.first().getAttribute('data-id');

      // An update went out (the test before), so the section starts from Update: choose the
      // first alert, whose text is the draft's.
      await chooseStage(page, 'First Alert');
      await page
        .locator('c-incident-communications .draft-note')
        .waitFor({ timeout: TIMEOUT });
      await page.locator('c-incident-communications .send-button').click();
      await page
        .locator('c-incident-communications .confirm')
        .waitFor({ timeout: TIMEOUT });
      await page.locator('c-incident-communications .confirm-send').click();
      await until(
        'the history lists the draft as sent',
        async () => (await drafts.count()) === 0
      );
      const sentAlert = page.locator(
        `c-incident-communications li.history-item[data-id="${String(draftId)}"]`
      );
      assert.equal(
        await sentAlert.locator('.history-stage').innerText(),
        'First Alert'
      );
      assert.match(
        await sentAlert.locator('.history-counts').innerText(),
        /\d+ emails?, \d+ case comments?/
      );
      const ledger = await session.preview.client.queryAll<{
        Status__c: string;
      }>(
        `SELECT Status__c FROM Incident_Communication__c WHERE Incident__c = '${id}' AND Stage__c = 'First Alert'`
      );
      assert.deepEqual(
        ledger.map((row) => row.Status__c),
        ['Sent'],
        'one First Alert row: the draft, sent'
      );
      assert.deepEqual(await session.axe(page), []);
      assert.deepEqual(session.problems, []);
    });
  }
);
