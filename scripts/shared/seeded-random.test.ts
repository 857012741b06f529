import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from './seeded-random.ts';

describe('seededRandom', () => {
  it('repeats its sequence for a seed, differs across seeds, and stays in [0, 1)', () => {
    const take = (seed: number): number[] => {
      const next = seededRandom(seed);
      return Array.from({ length: 1000 }, () => next());
    };
    const a = take(42);
    assert.deepEqual(take(42), a);
    assert.notDeepEqual(take(43), a);
    assert.ok(a.every((n) => n >= 0 && n < 1));
    // Roughly uniform: a broken mix would crowd one half.
    const low = a.filter((n) => n < 0.5).length;
    assert.ok(low > 430 && low < 570, `${String(low)} of 1000 below 0.5`);
  });

  it('gives mulberry32 values, so data sets and fault schedules seeded before stay the same', () => {
    const next = seededRandom(1);
    assert.equal(next(), 0.6270739405881613);
    assert.equal(next(), 0.002735721180215478);
  });
});
