#!/usr/bin/env node
// `npm test`: every offline check of every layer, in one run, ending with the plain
// `N passed, N failed` line CI reads. Test runners contribute their own test counts; a
// check that is not a test runner (lint, format, type check, metadata, Apex) counts as one.
//
//   npm test                      run everything
//   npm test -- --only lint,lwc   run the named steps
//   npm test -- --skip apex       run all but the named steps
//   npm test -- --jobs 1          one step at a time (default: as many cores as there are)
//   npm test -- --list            list the steps
//
// Steps run side by side, as many at a time as they have cores for: most are one
// single-threaded process (prettier, eslint, tsc, jest with its one worker on two cores, PMD's
// short JVM run, the preview build), so one after another they left a core idle; the scripts
// step runs two test files at a time and takes two cores. Each step's output is printed in one
// piece when it ends.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  existsSync
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWithinCores } from './schedule.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tmpDir = join(root, '.tmp', 'verify');

/** Test files of the TypeScript tooling: `*.test.ts` anywhere under scripts/, fixtures excluded. */
function scriptTestFiles() {
  return readdirSync(join(root, 'scripts'), { recursive: true })
    .map((entry) => join('scripts', String(entry)))
    .filter(
      (file) =>
        file.endsWith('.test.ts') &&
        !file.split(/[\\/]/).includes('__fixtures__')
    )
    .sort();
}

/** Counts from node's spec reporter summary (`ℹ pass 12`). */
function nodeTestCounts(output) {
  const count = (label) => {
    const match = output.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'));
    return match ? Number(match[1]) : undefined;
  };
  const passed = count('pass');
  const failed = count('fail');
  if (passed === undefined || failed === undefined) return undefined;
  return { passed, failed: failed + (count('cancelled') ?? 0) };
}

/** Counts from jest's --json report. */
function jestCounts(reportFile) {
  if (!existsSync(reportFile)) return undefined;
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  // A suite that fails to load has no failed tests but must still fail the step.
  const brokenSuites = report.numRuntimeErrorTestSuites ?? 0;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenSuites
  };
}

// In the order they start: the longest first (the scripts step alone takes both cores of a
// 2-core machine), so the one-core steps after it pair up and end close together.
const steps = [
  {
    name: 'scripts',
    // Two test files at a time (see its command): two cores.
    cores: 2,
    title: 'TypeScript tooling tests (node:test + tsx)',
    command: () => [
      process.execPath,
      '--import',
      'tsx',
      '--test',
      // Node's default is one file less than the cores: one at a time on the 2-core machines
      // this runs on, leaving a core idle while a file waits on its local org or child CLI.
      '--test-concurrency=2',
      '--test-reporter=spec',
      ...scriptTestFiles()
    ],
    counts: nodeTestCounts
  },
  {
    // Skips with one line (and counts nothing) when Chromium is missing; .ci/run installs it.
    name: 'browser',
    title:
      'Browser tests: the console preview in Chromium (playwright-core, axe)',
    command: [
      process.execPath,
      '--import',
      'tsx',
      'scripts/preview/browser/run.ts'
    ],
    counts: nodeTestCounts
  },
  {
    name: 'lint',
    title: 'eslint (LWC rules, type-aware typescript-eslint)',
    command: [bin('eslint'), '--max-warnings', '0', '.']
  },
  {
    name: 'lwc',
    title: 'Lightning Web Component tests (sfdx-lwc-jest)',
    command: () => [
      bin('sfdx-lwc-jest'),
      '--',
      '--json',
      `--outputFile=${join(tmpDir, 'jest.json')}`
    ],
    counts: () => jestCounts(join(tmpDir, 'jest.json'))
  },
  {
    name: 'typecheck',
    title: 'tsc --noEmit (strict)',
    command: [bin('tsc'), '-p', 'tsconfig.json']
  },
  {
    name: 'format',
    title: 'prettier --check (TypeScript, LWC, Apex, XML, JSON, Markdown)',
    command: [bin('prettier'), '--check', '.']
  },
  {
    name: 'apex',
    title:
      'Apex: parse, PMD (security, performance), field references (no static use of an edition-dependent field)',
    command: [
      process.execPath,
      '--import',
      'tsx',
      'scripts/verify/apex/index.ts'
    ]
  },
  {
    name: 'metadata',
    title:
      'Metadata: deploy package, XML structure, text values, formula picklist literals, custom metadata values, API versions, permission coverage (edition-dependent fields included), cross-references and record page defaults, scratch definition, custom fields only on standard objects known to take them',
    command: [
      process.execPath,
      '--import',
      'tsx',
      'scripts/verify/metadata/index.ts'
    ]
  }
];

function parseArgs(argv) {
  const options = {
    only: undefined,
    skip: new Set(),
    list: false,
    jobs: availableParallelism()
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--list') options.list = true;
    else if (arg === '--jobs') {
      const value = argv[i + 1] ?? '';
      if (!/^[1-9]\d*$/.test(value))
        usage(
          `--jobs needs a whole number of cores (1 or more), got '${value}'`
        );
      options.jobs = Number(value);
      i += 1;
    } else if (arg === '--only' || arg === '--skip') {
      const value = argv[i + 1];
      if (!value) usage(`${arg} needs a comma-separated list of steps`);
      const names = new Set(value.split(','));
      for (const name of names) {
        if (!steps.some((step) => step.name === name))
          usage(`unknown step '${name}'`);
      }
      if (arg === '--only') options.only = names;
      else options.skip = names;
      i += 1;
    } else usage(`unknown argument '${arg}'`);
  }
  return options;
}

function usage(message) {
  console.error(
    `npm test: ${message}\nsteps: ${steps.map((step) => step.name).join(', ')}`
  );
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));
if (options.list) {
  for (const step of steps)
    console.log(`${step.name.padEnd(10)} ${step.title}`);
  process.exit(0);
}

rmSync(tmpDir, { recursive: true, force: true });
mkdirSync(tmpDir, { recursive: true });

/** Runs one step to its end, its output collected (printed in one piece by the caller). */
function runStep(step) {
  const command =
    typeof step.command === 'function' ? step.command() : step.command;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }
    });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    const finish = (status, signal, error) =>
      resolve({
        step,
        status,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr:
          Buffer.concat(stderr).toString('utf8') +
          (error ? `${error.message}\n` : ''),
        seconds: ((Date.now() - started) / 1000).toFixed(1)
      });
    child.once('error', (error) => finish(null, null, error));
    child.once('close', (status, signal) => finish(status, signal));
  });
}

function report(run) {
  const { step } = run;
  console.log(`\n── ${step.name}: ${step.title}`);
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  const ok = run.status === 0;
  const counted = step.counts?.(`${run.stdout}\n${run.stderr}`);
  // A runner whose summary cannot be read, or that exits non-zero with no failed test,
  // still fails as one: a broken run must never pass silently.
  const passed = counted ? counted.passed : ok ? 1 : 0;
  const failed = counted ? Math.max(counted.failed, ok ? 0 : 1) : ok ? 0 : 1;
  console.log(
    `── ${step.name}: ${ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${run.seconds}s`
  );
  return { name: step.name, ok, passed, failed, seconds: run.seconds };
}

const selected = steps.filter(
  (step) =>
    (!options.only || options.only.has(step.name)) &&
    !options.skip.has(step.name)
);
const startedAll = Date.now();
const results = await runWithinCores(selected, options.jobs, async (step) =>
  report(await runStep(step))
);
const wall = ((Date.now() - startedAll) / 1000).toFixed(1);

console.log('\nSummary');
for (const result of results) {
  const counts = `${result.passed} passed, ${result.failed} failed`;
  console.log(
    `  ${result.ok ? 'ok  ' : 'FAIL'} ${result.name.padEnd(10)} ${counts.padEnd(24)} ${result.seconds}s`
  );
}
const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
console.log(
  `  all steps ${wall}s wall, ${options.jobs} at a time (--jobs); the step times overlap`
);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = results.every((result) => result.ok) ? 0 : 1;
