/**
 * `npm start`: the incident console on the local org in your browser.
 *
 *   npm start                  start (the first start creates and seeds the demo data)
 *   npm start -- --reset       delete the demo data and start over
 *   npm start -- --port 8080   serve the preview on a fixed port (default: a free one)
 *
 * The data lives in .local-org/preview (under INCIDENT_LOCAL_ORG_DIR when set), so a second
 * start reuses it. Ctrl+C stops the preview server and the local org.
 */
import path from 'node:path';
import { PROJECT_ROOT } from './build.ts';
import { startPreview } from './harness.ts';
import { loginForCli, PREVIEW_ORG_ALIAS } from './cli-login.ts';

const USAGE = 'usage: npm start [-- --reset] [-- --port N]';

export interface StartArgs {
  reset: boolean;
  port: number;
}

/** The command line; a bad argument is a usage error (exit 2) naming it. */
export function parseStartArgs(argv: string[]): StartArgs {
  const args: StartArgs = { reset: false, port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--reset') args.reset = true;
    else if (arg === '--port') {
      const value = argv[++i];
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(
          `--port must be a whole number from 0 to 65535 (got ${value ?? 'nothing'})`
        );
      args.port = port;
    } else throw new UsageError(`unknown argument ${String(arg)}`);
  }
  return args;
}

export class UsageError extends Error {}

export function previewDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.INCIDENT_LOCAL_ORG_DIR ?? path.join(PROJECT_ROOT, '.local-org');
  return path.join(base, 'preview');
}

async function main(): Promise<void> {
  let args: StartArgs;
  try {
    args = parseStartArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`npm start: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const preview = await startPreview({
    dataDir: previewDataDir(),
    reset: args.reset,
    port: args.port,
    log
  });
  log('');
  log(`Incident console preview: ${preview.url}`);
  log(
    `Severity-1 incident:       ${preview.url}#/r/Incident/${preview.demo.severity1IncidentId}`
  );
  // The preview works without the login (a read-only or unusual HOME): then the CLI is told
  // the org's URL and token instead of an alias.
  const login = await loginForCli(preview.org).catch((error: unknown) => {
    log(
      `Could not log the local org in to the sf auth store: ${String(error)}`
    );
    return undefined;
  });
  log(
    login
      ? `Local org for the CLI:     --target-org ${PREVIEW_ORG_ALIAS} (npx incident … or sf …; user ${login.username})`
      : `Local org:                 ${preview.org.instanceUrl} (access token '${preview.org.accessToken}')`
  );
  log('Press Ctrl+C to stop.');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    log('\nStopping the preview and the local org…');
    (login ? login.forget().catch(() => undefined) : Promise.resolve())
      .then(() => preview.stop())
      .then(
        () => {
          log('Stopped.');
          process.exit(0);
        },
        (error: unknown) => {
          process.stderr.write(
            `npm start: could not stop cleanly: ${String(error)}\n`
          );
          process.exit(1);
        }
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Imported by tests for parseStartArgs; runs only as the npm start entry point.
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `npm start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    );
    process.exitCode = 1;
  });
}
