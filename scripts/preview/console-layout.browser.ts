/**
 * The incident console as an agent sees it: the real components in Chromium on the preview (LWC
 * OSS, base components, SLDS) against a local org with the demo data, at 1440 px and in a 400 px
 * record page region. It checks in the rendered page what jest's stubs cannot show (the current
 * cell's real contrast and badge, the layout by region width, the focus after a save, axe, no
 * console errors) and takes the two screenshots the README shows: .tmp/preview-artifacts/
 * console-1440.png and console-400.png; UPDATE_DOCS_SCREENSHOT=1 also copies them to docs/.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { PROJECT_ROOT } from './build.ts';
import { chromiumPath } from './browser.ts';
import {
  ARTIFACTS_DIR,
  startBrowserSession,
  type BrowserSession
} from './browser/session.ts';

const SKIP = chromiumPath() ? false : 'Chromium is not installed';
const TIMEOUT = 60_000;

/** A narrow record page region, as a sidebar column of a wide screen gets. */
const NARROW_REGION_PX = 400;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is rendered');
  return box;
}

/*
 * The functions below run in the browser: Playwright sends each one's source, so each is
 * self-contained. TypeScript checks this file as Node code without the DOM's types, so they
 * name the little of the DOM they use.
 */
interface StyledElement {
  getAttribute(name: string): string | null;
  tagName: string;
  shadowRoot: { activeElement: StyledElement | null } | null;
}
interface BrowserGlobals {
  getComputedStyle(element: StyledElement): {
    color: string;
    backgroundColor: string;
  };
  document: {
    activeElement: StyledElement | null;
    documentElement: { scrollWidth: number };
  };
  innerWidth: number;
}
interface ConsoleHost {
  flexipageRegionWidth?: string;
  style: { display: string; width: string };
  shadowRoot: {
    querySelector(selector: string): { scrollWidth: number } | null;
  } | null;
}

/** Contrast ratio (WCAG 2) of an element's text colour on its own background colour. */
function contrast(node: unknown): number {
  const element = node as StyledElement;
  const style = (globalThis as unknown as BrowserGlobals).getComputedStyle(
    element
  );
  // Anonymous callbacks only: a named inner function would carry the bundler's name helper,
  // which does not exist in the page.
  const [light = 0, dark = 0] = [style.color, style.backgroundColor]
    .map((colour) => {
      const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? [])
        .slice(0, 3)
        .map((value) => {
          const channel = Number(value) / 255;
          return channel <= 0.03928
            ? channel / 12.92
            : ((channel + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    })
    .sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The focused element through the (synthetic) shadow roots: "button Medium/High". */
function deepFocus(): string {
  let element = (globalThis as unknown as BrowserGlobals).document
    .activeElement;
  while (element?.shadowRoot?.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  return element
    ? `${element.tagName.toLowerCase()} ${element.getAttribute('data-urgency') ?? ''}/${element.getAttribute('data-impact') ?? ''}`
    : 'none';
}

/** How far the page is wider than the window (positive: it scrolls sideways). */
function pageOverflow(): number {
  const browser = globalThis as unknown as BrowserGlobals;
  return browser.document.documentElement.scrollWidth - browser.innerWidth;
}

/** A record page region of `width` px: its width, and flexipageRegionWidth SMALL. */
function narrowRegion(node: unknown, width: number): void {
  const host = node as ConsoleHost;
  host.flexipageRegionWidth = 'SMALL';
  host.style.display = 'block';
  host.style.width = `${width}px`;
}

/** The width of the console's content (wider than its region: it overflows). */
function contentWidth(node: unknown): number {
  const host = node as ConsoleHost;
  return (
    host.shadowRoot?.querySelector('.incident-console')?.scrollWidth ?? Infinity
  );
}

async function contrastOf(locator: Locator): Promise<number> {
  return locator.evaluate(contrast);
}

/** Saves the console itself (not the whole page) as an artifact, and for the README on request. */
async function screenshotConsole(page: Page, name: string): Promise<void> {
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.locator('c-incident-console').screenshot({ path: file });
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    mkdirSync(path.join(PROJECT_ROOT, 'docs'), { recursive: true });
    copyFileSync(file, path.join(PROJECT_ROOT, 'docs', `${name}.png`));
  }
}

describe(
  'incident console layout in Chromium',
  { skip: SKIP, timeout: 5 * TIMEOUT },
  () => {
    let session: BrowserSession;
    let page: Page;

    before(async () => {
      session = await startBrowserSession();
      page = await session.newPage();
      await page.setViewportSize({ width: 1440, height: 1000 });
      await page.goto(
        session.recordUrl('Incident', session.preview.demo.severity1IncidentId)
      );
      // Every section loaded: the matrix, a timer, a roster contact and a case row.
      await page.locator('c-severity-matrix td[aria-current="true"]').waitFor();
      await page.locator('c-sla-timer li[data-clock="response"]').waitFor();
      await page.locator('c-incident-roster .roster-contact').first().waitFor();
      await page
        .locator('c-incident-cases tbody tr[data-row-key-value]')
        .first()
        .waitFor();
    });

    after(async () => {
      await session.close();
    });

    it('shows the current cell as the most legible one, its "Current" badge inside the cell', async () => {
      const current = page.locator('c-severity-matrix td[aria-current="true"]');
      const ratio = await contrastOf(current);
      assert.ok(ratio >= 4.5, `current cell contrast ${ratio.toFixed(2)}:1`);
      for (const cell of await page
        .locator('c-severity-matrix td:not([aria-current])')
        .all()) {
        assert.ok(ratio > (await contrastOf(cell)), 'no cell reads better');
      }
      const cell = await boxOf(current);
      const badge = await boxOf(current.locator('.current-marker'));
      assert.ok(
        badge.x >= cell.x &&
          badge.y >= cell.y &&
          badge.x + badge.width <= cell.x + cell.width &&
          badge.y + badge.height <= cell.y + cell.height,
        'the badge lies within its cell'
      );
    });

    it('puts the matrix beside the timers at 1440 px, inside the page width, without errors', async () => {
      const matrix = await boxOf(page.locator('c-severity-matrix'));
      const timers = await boxOf(page.locator('c-sla-timer'));
      assert.ok(matrix.x + matrix.width <= timers.x, 'timers right of matrix');
      assert.ok(Math.abs(matrix.y - timers.y) < 4, 'on one row');
      const overflow = await page.evaluate(pageOverflow);
      assert.ok(overflow <= 0, `the page is ${overflow} px too wide`);
      assert.deepEqual(
        (await session.axe(page)).map((violation) => violation.id),
        []
      );
      assert.deepEqual(session.problems, []);
      await screenshotConsole(page, 'console-1440');
    });

    it('keeps the keyboard focus on the chosen cell through a save', async () => {
      const target = page.locator(
        'c-severity-matrix td[data-urgency="Medium"][data-impact="High"]'
      );
      await target.locator('button').focus();
      await page.keyboard.press('Enter');
      // Saved and reloaded: the chosen cell is now the current one.
      await page
        .locator(
          'c-severity-matrix td[aria-current="true"][data-urgency="Medium"][data-impact="High"]'
        )
        .waitFor();
      assert.equal(await page.evaluate(deepFocus), 'button Medium/High');
      assert.deepEqual(session.problems, []);
    });

    it(`stacks every card in a ${NARROW_REGION_PX} px region, tables inside their cards`, async () => {
      const host = page.locator('c-incident-console');
      // What the record page does for a narrow region: its width, and flexipageRegionWidth SMALL.
      await host.evaluate(narrowRegion, NARROW_REGION_PX);
      await page
        .locator('c-incident-console .incident-console[data-layout="stacked"]')
        .waitFor();

      const region = await boxOf(host);
      const cards = await Promise.all(
        [
          'c-severity-matrix',
          'c-sla-timer',
          'c-incident-roster',
          'c-incident-cases'
        ].map((selector) => boxOf(page.locator(selector)))
      );
      let above: Box | undefined;
      for (const [index, card] of cards.entries()) {
        assert.ok(
          card.x >= region.x && card.x + card.width <= region.x + region.width,
          `card ${index + 1} stays inside the region`
        );
        if (above) {
          assert.ok(card.y >= above.y + above.height - 1, 'cards stack');
        }
        above = card;
      }
      const widest = await host.evaluate(contentWidth);
      assert.ok(widest <= NARROW_REGION_PX, `the console is ${widest} px wide`);
      assert.deepEqual(session.problems, []);
      await screenshotConsole(page, 'console-400');
    });
  }
);
