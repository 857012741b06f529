/** The dispatcher in-process: help, unknown commands, flag errors (exit 2 naming the flag) and the --json error shape. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CommandIo, JsonFailure } from './command.ts';
import { parseOrgStart } from './commands/org-start.ts';
import { UsageError } from './errors.ts';
import { commands, findCommand, main } from './incident.ts';

interface Captured {
  io: CommandIo;
  stdout: () => string;
  stderr: () => string;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'incident-main-'));

function capture(env: Record<string, string> = {}): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (text) => {
        out += text;
      },
      stderr: (text) => {
        err += text;
      },
      // An empty local-org folder: nothing here can reach a real org.
      env: { INCIDENT_LOCAL_ORG_DIR: path.join(scratch, 'none'), ...env },
      cwd: scratch
    },
    stdout: () => out,
    stderr: () => err
  };
}

function failureJson(text: string): JsonFailure {
  return JSON.parse(text) as JsonFailure;
}

describe('incident dispatcher', () => {
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lists every command in the table, with help on stdout and exit 0', async () => {
    const c = capture();
    assert.equal(await main(['--help'], c.io), 0);
    for (const command of commands)
      assert.match(c.stdout(), new RegExp(`^  ${command.id} +\\S`, 'm'));
    assert.match(c.stdout(), /Exit codes: 0 success, 1 .*, 2 bad usage/);
  });

  it('prints usage on stderr and exits 2 without a command', async () => {
    const c = capture();
    assert.equal(await main([], c.io), 2);
    assert.equal(c.stdout(), '');
    assert.match(c.stderr(), /^Usage: incident <command>/);
  });

  it('exits 2 for an unknown command, naming it', async () => {
    const c = capture();
    assert.equal(await main(['org', 'dispaly'], c.io), 2);
    assert.match(c.stderr(), /^Error: Unknown command 'org dispaly'/);
    const j = capture();
    assert.equal(await main(['seed', '--json'], j.io), 2);
    assert.deepEqual(failureJson(j.stdout()), {
      status: 2,
      name: 'UsageError',
      message:
        "Unknown command 'seed'. Run 'incident --help' for the list of commands.",
      warnings: []
    });
  });

  it('shows per-command help, even next to flags that would not parse', async () => {
    const c = capture();
    assert.equal(await main(['org', 'display', '--bogus', '-h'], c.io), 0);
    assert.match(c.stdout(), /^incident org display: /);
    assert.match(c.stdout(), /-o, --target-org ORG/);
    assert.match(c.stdout(), /--instance-url URL/);
    assert.match(c.stdout(), /--access-token TOKEN/);
    assert.match(c.stdout(), /--api-version N/);
    const s = capture();
    assert.equal(await main(['org', 'start', '--help'], s.io), 0);
    assert.match(s.stdout(), /--port N/);
  });

  it('rejects an unknown flag with exit 2, naming the flag', async () => {
    const c = capture();
    assert.equal(await main(['org', 'display', '--target', 'x'], c.io), 2);
    assert.match(c.stderr(), /^Error: Unknown option '--target'/);
  });

  it('rejects a flag without its value, naming it', async () => {
    const c = capture();
    assert.equal(
      await main(['org', 'display', '--json', '--target-org'], c.io),
      2
    );
    const output = failureJson(c.stdout());
    assert.equal(output.status, 2);
    assert.equal(output.name, 'UsageError');
    assert.match(output.message, /--target-org/);
    assert.equal(c.stderr(), '');
  });

  it('reports resolution errors as exit 2 JSON naming the flag', async () => {
    const c = capture();
    assert.equal(
      await main(['org', 'display', '-o', 'local', '--json'], c.io),
      2
    );
    const output = failureJson(c.stdout());
    assert.equal(output.status, 2);
    assert.match(
      output.message,
      /^--target-org local: no local org is recorded in .*none\/auth\.json/
    );
    const pair = capture();
    assert.equal(
      await main(
        ['org', 'display', '--instance-url', 'https://a.example.com'],
        pair.io
      ),
      2
    );
    assert.match(
      pair.stderr(),
      /^Error: --instance-url needs --access-token too \(or set SF_ACCESS_TOKEN\)\.\n$/
    );
  });

  it('finds commands by their leading words only', () => {
    assert.equal(
      findCommand(['org', 'display', '--json'])?.command.id,
      'org display'
    );
    assert.deepEqual(findCommand(['org', 'display', '--json'])?.args, [
      '--json'
    ]);
    assert.equal(findCommand(['org']), undefined);
    assert.equal(findCommand(['display', 'org']), undefined);
  });
});

describe('incident org start flags', () => {
  const io = { env: {}, cwd: '/work/x' };

  it('defaults to a free port and .local-org/org.db under the working directory', () => {
    assert.deepEqual(parseOrgStart([], io), {
      port: 0,
      dbPath: '/work/x/.local-org/org.db'
    });
  });

  it('puts the default database in INCIDENT_LOCAL_ORG_DIR, and resolves --db and --force-app', () => {
    assert.equal(
      parseOrgStart([], {
        env: { INCIDENT_LOCAL_ORG_DIR: 'state' },
        cwd: '/work/x'
      }).dbPath,
      '/work/x/state/org.db'
    );
    assert.deepEqual(
      parseOrgStart(
        ['--port', '8787', '--db', 'demo.db', '--force-app', 'src'],
        io
      ),
      {
        port: 8787,
        dbPath: '/work/x/demo.db',
        forceAppDir: '/work/x/src'
      }
    );
  });

  for (const bad of ['-1', '65536', '80.5', 'http', ''])
    it(`rejects --port '${bad}' naming --port`, () => {
      assert.throws(
        () => parseOrgStart([`--port=${bad}`], io),
        (error: unknown) =>
          error instanceof UsageError &&
          error.exitCode === 2 &&
          error.message.startsWith(
            '--port must be a whole number from 0 to 65535'
          )
      );
    });
});
