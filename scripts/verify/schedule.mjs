// npm test's step scheduler (run-all.mjs), apart so that its rules are tested on their own.

/**
 * Runs tasks side by side within `jobs` cores: each takes `cores` of them (1 when not said,
 * never more than `jobs`). Tasks start in list order while their cores are free; one that needs
 * more cores than are free waits, and later ones that fit may start meanwhile.
 *
 * @template {{ cores?: number }} T
 * @template R
 * @param {readonly T[]} tasks in the order they should start
 * @param {number} jobs cores to fill, 1 or more
 * @param {(task: T) => Promise<R>} run
 * @returns {Promise<R[]>} each task's result, in the tasks' order
 */
export async function runWithinCores(tasks, jobs, run) {
  /** @type {R[]} */
  const results = new Array(tasks.length);
  const pending = tasks.map((task, index) => ({ task, index }));
  /** @type {Set<Promise<void>>} */
  const running = new Set();
  let free = jobs;
  while (pending.length > 0 || running.size > 0) {
    for (let i = 0; i < pending.length;) {
      const next = pending[i];
      if (!next) break;
      const cores = Math.min(next.task.cores ?? 1, jobs);
      if (cores > free) {
        i += 1;
        continue;
      }
      pending.splice(i, 1);
      free -= cores;
      const done = run(next.task).then((result) => {
        results[next.index] = result;
        running.delete(done);
        free += cores;
      });
      running.add(done);
    }
    await Promise.race(running);
  }
  return results;
}
