/**
 * A seeded random generator for reproducible data and schedules: the local org's fault drills,
 * the storm data sets and the benchmark's case rows. Math.random cannot be seeded. This module
 * imports nothing, so any layer (the local org included) may use it without importing another
 * layer's code.
 */

/** mulberry32: numbers in [0, 1); the same seed always gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
