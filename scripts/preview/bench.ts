/**
 * `npm run bench:console`: the console in Chromium, measured side by side in one run, written
 * to bench-results/console.json (not a timed test: the figures are reported, not asserted).
 *
 * - first full render (console, timers, roster, the linked cases' counts and first page) of an
 *   incident with 10 and with 1,000 linked cases; goal: the 1,000-case render within 2x;
 * - live intervals with 50 SLA timers on one page; goal: 1 (one shared ticker);
 * - first render with a simulated latency per call (--latency, default 150 ms); goal: within
 *   1.2x of one round trip plus the render without latency.
 *
 *   npm run bench:console -- [--latency 150] [--runs 5] [--cases 10,1000] [--timers 50] [--out FILE]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from './build.ts';
import { launchChromium } from './browser.ts';
import { create } from './demo-data.ts';
import { startPreview, type Preview } from './harness.ts';
import { startPreviewServer } from './server.ts';
import type { OrgClient } from '../org-client/index.ts';

export interface BenchOptions {
  latencyMs: number;
  runs: number;
  /** Linked case counts to compare; the first is the baseline. */
  caseCounts: number[];
  timers: number;
}

export const DEFAULT_BENCH: BenchOptions = {
  latencyMs: 150,
  runs: 5,
  caseCounts: [10, 1000],
  timers: 50
};

/** Counts live setInterval timers in the page (installed before any page script runs). */
const INTERVAL_PROBE = `(() => {
  const live = new Set();
  const set = window.setInterval.bind(window);
  const clear = window.clearInterval.bind(window);
  window.setInterval = (...args) => { const id = set(...args); live.add(id); return id; };
  window.clearInterval = (id) => { live.delete(id); clear(id); };
  window.__liveIntervals = () => live.size;
})()`;

async function createIncidentWithCases(
  client: OrgClient,
  count: number
): Promise<string> {
  const subject = `Benchmark incident with ${count} linked cases`;
  const [incidentId = ''] = await create(
    client,
    'Incident',
    [
      {
        Subject: subject,
        Urgency: 'High',
        Impact: 'High',
        DetectedDateTime: new Date(Date.now() - 5 * 60_000).toISOString()
      }
    ],
    ['Subject']
  );
  const caseIds = await create(
    client,
    'Case',
    Array.from({ length: count }, (_, i) => ({
      Subject: `${subject}: case ${i + 1}`,
      Status: i % 5 === 0 ? 'Closed' : 'New'
    })),
    ['Subject']
  );
  await create(
    client,
    'CaseRelatedIssue',
    caseIds.map((CaseId) => ({ CaseId, RelatedIssueId: incidentId })),
    ['CaseId', 'RelatedIssueId']
  );
  return incidentId;
}

/** Milliseconds from navigation to the console fully rendered with `total` linked cases. */
async function renderMillis(
  page: Page,
  url: string,
  total: number
): Promise<number> {
  await page.goto('about:blank');
  const started = Date.now();
  await page.goto(url);
  await page
    .locator('[data-section="cases"] [data-count="total"] .count-value', {
      hasText: new RegExp(`^${total}$`)
    })
    .waitFor({ timeout: 120_000 });
  await page.locator('li.sla-clock[data-clock="resolution"]').waitFor();
  await page
    .locator('c-incident-roster .contact-phone, c-incident-roster li')
    .first()
    .waitFor();
  // The first page of cases: a data row (the header row has the key HEADER).
  await page
    .locator(
      '[data-section="cases"] tr[data-row-key-value]:not([data-row-key-value="HEADER"])'
    )
    .first()
    .waitFor();
  return Date.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function measureRenders(
  browser: Browser,
  url: string,
  total: number,
  runs: number
): Promise<{ runsMs: number[]; medianMs: number }> {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 }
  });
  try {
    // A first, unmeasured load warms the browser's cache of the bundle, as any second visit is.
    await renderMillis(page, url, total);
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++)
      runsMs.push(await renderMillis(page, url, total));
    return { runsMs, medianMs: median(runsMs) };
  } finally {
    await page.close();
  }
}

export async function runConsoleBench(
  options: BenchOptions
): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'incident-console-bench-'));
  let preview: Preview | undefined;
  let browser: Browser | undefined;
  try {
    preview = await startPreview({ dataDir });
    browser = await launchChromium();
    const incidents = new Map<number, string>();
    for (const count of options.caseCounts)
      incidents.set(
        count,
        await createIncidentWithCases(preview.client, count)
      );
    const recordUrl = (base: string, id: string): string =>
      `${base}#/r/Incident/${id}`;

    const renders: Record<string, { runsMs: number[]; medianMs: number }> = {};
    for (const [count, id] of incidents)
      renders[String(count)] = await measureRenders(
        browser,
        recordUrl(preview.url, id),
        count,
        options.runs
      );
    const [baseline = 0, largest = 0] = [
      options.caseCounts[0],
      options.caseCounts[options.caseCounts.length - 1]
    ];
    const baselineMs = renders[String(baseline)]?.medianMs ?? NaN;
    const largestMs = renders[String(largest)]?.medianMs ?? NaN;

    // Many timers on one page: how many intervals are live once they all render.
    const timerPage = await browser.newPage();
    await timerPage.addInitScript(INTERVAL_PROBE);
    await timerPage.goto(
      `${preview.url}#/bench/timers/${options.timers}/${preview.demo.severity1IncidentId}`
    );
    await timerPage
      .locator('li.sla-clock[data-clock="resolution"]')
      .nth(options.timers - 1)
      .waitFor({ timeout: 120_000 });
    const timersRendered = await timerPage.locator('c-sla-timer').count();
    const liveIntervals = await timerPage.evaluate<number>(
      'window.__liveIntervals()'
    );
    await timerPage.close();

    // The same render through a server that adds latency to every call the page makes.
    const slow = await startPreviewServer({
      siteDir: preview.siteDir,
      org: preview.client,
      orgUrl: preview.org.instanceUrl,
      latencyMs: options.latencyMs
    });
    let latencyRender;
    try {
      latencyRender = await measureRenders(
        browser,
        recordUrl(slow.url, incidents.get(baseline) ?? ''),
        baseline,
        options.runs
      );
    } finally {
      await slow.stop();
    }
    const budgetMs = options.latencyMs + baselineMs;
    return {
      benchmark: 'console',
      measuredAt: new Date().toISOString(),
      chromium: browser.version(),
      options,
      firstFullRender: {
        byLinkedCases: renders,
        ratio: Number((largestMs / baselineMs).toFixed(2)),
        goal: `${largest} linked cases render within 2x of ${baseline}`,
        met: largestMs / baselineMs <= 2
      },
      timers: {
        onPage: timersRendered,
        liveIntervals,
        goal: 'one live interval for every timer on the page',
        met: liveIntervals === 1
      },
      latency: {
        perCallMs: options.latencyMs,
        linkedCases: baseline,
        ...latencyRender,
        oneRoundTripPlusRenderMs: budgetMs,
        ratio: Number((latencyRender.medianMs / budgetMs).toFixed(2)),
        goal: 'within 1.2x of one round trip plus the render without latency',
        met: latencyRender.medianMs <= 1.2 * budgetMs
      }
    };
  } finally {
    await browser?.close();
    await preview?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function parseArgs(argv: string[]): { options: BenchOptions; out: string } {
  const options = { ...DEFAULT_BENCH };
  let out = path.join(PROJECT_ROOT, 'bench-results', 'console.json');
  const number = (
    flag: string,
    value: string | undefined,
    min: number
  ): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min)
      throw new Error(
        `${flag} must be a whole number of at least ${min} (got ${value ?? 'nothing'})`
      );
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    i++;
    if (flag === '--latency') options.latencyMs = number(flag, value, 0);
    else if (flag === '--runs') options.runs = number(flag, value, 1);
    else if (flag === '--timers') options.timers = number(flag, value, 1);
    else if (flag === '--cases')
      options.caseCounts = (value ?? '')
        .split(',')
        .map((part) => number(flag, part, 1));
    else if (flag === '--out') out = path.resolve(value ?? out);
    else throw new Error(`unknown argument ${String(flag)}`);
  }
  return { options, out };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  let parsed: { options: BenchOptions; out: string } | undefined;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:console: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
  if (parsed) {
    const { options, out } = parsed;
    runConsoleBench(options).then(
      (result) => {
        mkdirSync(path.dirname(out), { recursive: true });
        writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
        process.stdout.write(
          `${JSON.stringify(result, null, 2)}\nwritten to ${out}\n`
        );
      },
      (error: unknown) => {
        process.stderr.write(`bench:console: ${String(error)}\n`);
        process.exitCode = 1;
      }
    );
  }
}
