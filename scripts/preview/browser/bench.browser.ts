/**
 * `npm run bench:console` at a small size, for correctness only: every figure the benchmark
 * reports is produced and has the right shape. No timing is asserted (these machines are
 * noisy); the one count checked, live intervals, does not depend on speed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runConsoleBench } from '../bench.ts';
import { chromiumPath } from '../browser.ts';

const SKIP = chromiumPath() ? false : 'Chromium is not installed';

interface Renders {
  runsMs: number[];
  medianMs: number;
}

describe('the console benchmark at a small size', { skip: SKIP }, () => {
  it('measures renders by linked cases, the timers page and the slow-server render', async () => {
    const result = await runConsoleBench({
      latencyMs: 20,
      runs: 1,
      caseCounts: [2, 5],
      timers: 3
    });
    const render = result.firstFullRender as {
      byLinkedCases: Record<string, Renders>;
      ratio: number;
      met: boolean;
    };
    assert.deepEqual(Object.keys(render.byLinkedCases).sort(), ['2', '5']);
    for (const figures of Object.values(render.byLinkedCases)) {
      assert.equal(figures.runsMs.length, 1);
      assert.ok(figures.medianMs > 0, 'a render takes time');
    }
    assert.ok(Number.isFinite(render.ratio));
    assert.equal(typeof render.met, 'boolean');

    const timers = result.timers as { onPage: number; liveIntervals: number };
    assert.equal(timers.onPage, 3, 'every timer of the bench page rendered');
    assert.equal(timers.liveIntervals, 1, 'the timers share one interval');

    const latency = result.latency as Renders & {
      perCallMs: number;
      oneRoundTripPlusRenderMs: number;
    };
    assert.equal(latency.perCallMs, 20);
    assert.ok(latency.medianMs > 0);
    assert.equal(
      latency.oneRoundTripPlusRenderMs,
      20 + (render.byLinkedCases['2']?.medianMs ?? NaN)
    );
  });
});
