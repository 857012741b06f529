/** readAhead: sync reads the source's next page while it writes the current one to the hub. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAhead } from './sync.ts';

/** A source of pages that logs when each is asked for and can fail one. */
function pages(
  count: number,
  log: string[],
  failAt?: number
): AsyncGenerator<number> {
  return (async function* () {
    try {
      for (let i = 1; i <= count; i++) {
        log.push(`read ${String(i)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (i === failAt) throw new Error(`page ${String(i)} failed`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  })();
}

test('asks for the next page before the current one is written, in order', async () => {
  const log: string[] = [];
  const seen: number[] = [];
  for await (const page of readAhead(pages(3, log))) {
    log.push(`write ${String(page)} start`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    log.push(`write ${String(page)} end`);
    seen.push(page);
  }
  assert.deepEqual(seen, [1, 2, 3]);
  // Page 2 is read while page 1 is written, not after.
  assert.ok(log.indexOf('read 2') < log.indexOf('write 1 end'), log.join(', '));
  assert.ok(log.includes('closed'));
});

test('a page that fails while the previous one is written fails at its turn, not before', async () => {
  const log: string[] = [];
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const page of readAhead(pages(3, log, 2))) {
      // Long enough that page 2's read fails during this write.
      await new Promise((resolve) => setTimeout(resolve, 30));
      seen.push(page);
    }
  }, /page 2 failed/);
  assert.deepEqual(seen, [1]);
});

test('a consumer that stops early closes the source', async () => {
  const log: string[] = [];
  for await (const page of readAhead(pages(5, log))) if (page === 2) break;
  assert.equal(log.at(-1), 'closed');
  assert.ok(!log.includes('read 4'), log.join(', '));
});
