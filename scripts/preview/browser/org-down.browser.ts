/**
 * When the local org does not answer, the preview says so on the page (which org, how to
 * start it) instead of showing a blank page or a spinner forever.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromiumPath } from '../browser.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

const SKIP = chromiumPath() ? false : 'Chromium is not installed';

describe('the console preview with the local org down', { skip: SKIP }, () => {
  let session: BrowserSession;

  before(async () => {
    session = await startBrowserSession();
    // The preview server stays up; the org behind it goes away.
    await session.preview.stopOrg();
  });
  after(async () => {
    // Undefined when before() failed; its error is the one to report.
    await (session as BrowserSession | undefined)?.close();
  });

  it('the list page explains that the local org is not answering', async () => {
    const page = await session.newPage();
    await page.goto(session.preview.url);
    const alert = page.locator('.org-error[role="alert"]');
    await alert.waitFor({ timeout: 30_000 });
    const text = await alert.innerText();
    assert.match(text, /The incidents cannot be loaded/);
    assert.match(
      text,
      new RegExp(
        `The local org at ${session.preview.org.instanceUrl} is not answering`
      )
    );
    assert.match(text, /npm start/);
    await session.screenshot(page, 'org-down-list');
  });

  it('a record page explains it too', async () => {
    const page = await session.newPage();
    await page.goto(
      session.recordUrl('Incident', session.preview.demo.severity1IncidentId)
    );
    const alert = page.locator('.org-error[role="alert"]');
    await alert.waitFor({ timeout: 30_000 });
    assert.match(await alert.innerText(), /is not answering/);
    assert.ok((await page.locator('body').innerText()).trim().length > 0);
  });
});
