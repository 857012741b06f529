import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWithinCores } from './schedule.mjs';

interface Task {
  name: string;
  cores?: number;
  ms: number;
}

/** Runs the tasks on timers, noting when each starts and ends and the cores in use at each start. */
async function trace(
  tasks: Task[],
  jobs: number
): Promise<{ results: string[]; events: string[]; peak: number }> {
  const events: string[] = [];
  let inUse = 0;
  let peak = 0;
  const results = await runWithinCores(tasks, jobs, async (task) => {
    const cores = Math.min(task.cores ?? 1, jobs);
    inUse += cores;
    peak = Math.max(peak, inUse);
    events.push(`start ${task.name}`);
    await new Promise((resolve) => setTimeout(resolve, task.ms));
    events.push(`end ${task.name}`);
    inUse -= cores;
    return task.name;
  });
  return { results, events, peak };
}

test('two one-core tasks share two cores; a two-core task waits for both', async () => {
  const { results, events, peak } = await trace(
    [
      { name: 'a', ms: 20 },
      { name: 'b', ms: 60 },
      { name: 'wide', cores: 2, ms: 10 }
    ],
    2
  );
  assert.deepEqual(results, ['a', 'b', 'wide']);
  assert.equal(peak, 2);
  assert.deepEqual(events, [
    'start a',
    'start b',
    'end a',
    'end b',
    'start wide',
    'end wide'
  ]);
});

test('a later task that fits starts while a wider one waits', async () => {
  const { events } = await trace(
    [
      { name: 'long', ms: 80 },
      { name: 'wide', cores: 2, ms: 10 },
      { name: 'short', ms: 10 }
    ],
    2
  );
  assert.deepEqual(events.slice(0, 3), [
    'start long',
    'start short',
    'end short'
  ]);
  assert.ok(events.indexOf('start wide') > events.indexOf('end long'));
});

test('one job runs them one after another, in order; a task never needs more cores than there are', async () => {
  const { results, events, peak } = await trace(
    [
      { name: 'wide', cores: 2, ms: 5 },
      { name: 'a', ms: 5 },
      { name: 'b', ms: 5 }
    ],
    1
  );
  assert.deepEqual(results, ['wide', 'a', 'b']);
  assert.equal(peak, 1);
  assert.deepEqual(events, [
    'start wide',
    'end wide',
    'start a',
    'end a',
    'start b',
    'end b'
  ]);
});

test('nothing to run: no results', async () => {
  assert.deepEqual(await runWithinCores([], 2, () => Promise.resolve(1)), []);
});
