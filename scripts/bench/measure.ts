/**
 * Wall time and memory of one benchmark phase. The process-wide high-water mark
 * (resourceUsage().maxRSS) only ever grows, so it cannot tell phases apart; a sampler reads
 * the resident set while the phase runs to give each phase its own peak. The sampler only
 * runs when the event loop is free, so a long synchronous stretch (the local org handles a
 * request synchronously) is seen by its edges; the high-water mark is recorded beside it.
 */

export interface PhaseMemory {
  /** Highest resident set sampled during the phase, MiB. */
  peakRssMb: number;
  /** Process high-water resident set at the end of the phase (all phases so far), MiB. */
  maxRssMb: number;
}

export interface Measured<T> extends PhaseMemory {
  value: T;
  wallMs: number;
  /**
   * CPU time of this process (user + system) during the phase. Beside wall time it shows
   * whether the phase waited (disk, or other processes on a shared machine) or computed.
   */
  cpuMs: number;
}

const SAMPLE_EVERY_MS = 20;
const MIB = 1024 * 1024;

const round = (value: number, digits = 1): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

export { round };

/** Runs the phase once and reports its wall time and memory. */
export async function measure<T>(
  phase: () => Promise<T>
): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss();
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  sampler.unref();
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  try {
    const value = await phase();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuAtStart);
    sample();
    return {
      value,
      wallMs: round(wallMs),
      cpuMs: round((cpu.user + cpu.system) / 1000),
      peakRssMb: round(peak / MIB),
      // maxRSS is in kibibytes on every platform Node supports.
      maxRssMb: round(process.resourceUsage().maxRSS / 1024)
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Times one call, for per-page timings inside a phase. */
export async function timed<T>(
  call: () => Promise<T> | T
): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}
