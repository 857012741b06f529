/**
 * The browser tests' harness, importable by any browser test file under scripts/preview/:
 * a preview (local org seeded with the demo data, build, server) and Chromium, with every
 * console error, warning and page error collected, axe at hand, and screenshots saved as
 * test artifacts (.tmp/preview-artifacts, git-ignored).
 *
 *   const session = await startBrowserSession();
 *   const page = await session.newPage();
 *   await page.goto(session.recordUrl('Incident', session.preview.demo.severity1IncidentId));
 *   ...
 *   assert.deepEqual(session.problems, []);
 *   await session.close();
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../build.ts';
import { launchChromium } from '../browser.ts';
import { startPreview, type Preview, type PreviewOptions } from '../harness.ts';

export const ARTIFACTS_DIR = path.join(
  PROJECT_ROOT,
  '.tmp',
  'preview-artifacts'
);
const AXE_SOURCE = path.join(
  PROJECT_ROOT,
  'node_modules',
  'axe-core',
  'axe.min.js'
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export interface BrowserSession {
  preview: Preview;
  browser: Browser;
  context: BrowserContext;
  /** Console errors and warnings and uncaught page errors of every page, in order. */
  problems: string[];
  newPage(): Promise<Page>;
  recordUrl(objectApiName: string, recordId: string): string;
  /** Saves a screenshot (full page unless told otherwise) as a test artifact; returns its path. */
  screenshot(
    page: Page,
    name: string,
    options?: { fullPage?: boolean }
  ): Promise<string>;
  /** axe-core's violations on the page as it is now (WCAG 2.1 A and AA rules). */
  axe(page: Page): Promise<AxeViolation[]>;
  close(): Promise<void>;
}

export async function startBrowserSession(
  options: Partial<PreviewOptions> = {}
): Promise<BrowserSession> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'incident-preview-test-'));
  const preview = await startPreview({ dataDir, ...options });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await preview.stop();
    throw error;
  }
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC'
  });
  const problems: string[] = [];
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    preview,
    browser,
    context,
    problems,
    async newPage() {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => {
        problems.push(`page error: ${error.message}`);
      });
      return page;
    },
    recordUrl(objectApiName, recordId) {
      return `${preview.url}#/r/${objectApiName}/${recordId}`;
    },
    async screenshot(page, name, options = {}) {
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
      return file;
    },
    async axe(page) {
      await page.addScriptTag({ content: readFileSync(AXE_SOURCE, 'utf8') });
      return page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: {
              run(options: object): Promise<{ violations: AxeViolation[] }>;
            };
          }
        ).axe;
        const result = await axe.run({
          runOnly: {
            type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
          }
        });
        return result.violations.map(({ id, impact, help, nodes }) => ({
          id,
          impact,
          help,
          nodes: nodes.map(({ target, failureSummary }) => ({
            target,
            failureSummary
          }))
        }));
      });
    },
    async close() {
      await browser.close();
      await preview.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
