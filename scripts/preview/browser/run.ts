/**
 * npm test's `browser` step: runs every *.browser.ts under scripts/preview with node's test
 * runner. Without Chromium it says so in one line and runs nothing (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../build.ts';
import { chromiumPath } from '../browser.ts';

const PREVIEW_DIR = path.join(PROJECT_ROOT, 'scripts', 'preview');

const files = readdirSync(PREVIEW_DIR, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.browser.ts'))
  .sort()
  .map((file) => path.join('scripts', 'preview', file));

if (!chromiumPath()) {
  process.stdout.write(
    `browser: SKIPPED ${files.length} browser test files: Chromium is not installed at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (apt-get install -y chromium; .ci/run installs it)\nℹ pass 0\nℹ fail 0\n`
  );
} else {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      ...files
    ],
    { cwd: PROJECT_ROOT, stdio: 'inherit' }
  );
  process.exitCode = run.status ?? 1;
}
