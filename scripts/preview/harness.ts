/**
 * The preview as one function, for `npm start`, the browser tests and the benchmark: start the
 * local org (seeding the demo data set on a new database), build the preview, serve it.
 *
 *   const preview = await startPreview({ dataDir });
 *   // preview.url, preview.org (the local org), preview.client (the shared API client)
 *   await preview.stop();
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../local-org/server.ts';
import { OrgClient, type RetryPolicy } from '../org-client/index.ts';
import { buildPreview } from './build.ts';
import { seedDemoData, type DemoIds } from './demo-data.ts';
import { startPreviewServer, type PreviewServer } from './server.ts';

/** The API version the preview speaks, as the components' org would. */
export const API_VERSION = '64.0';

/**
 * Retries for the page's calls: a person is waiting, so two quick retries, and a local org that
 * is down is reported within a second instead of after the shared client's full backoff.
 */
const PAGE_RETRY = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 400 };

const DEMO_MARKER = 'demo.json';

export interface PreviewOptions {
  /** Folder of the local org's database and the demo marker. */
  dataDir: string;
  /** Start over: delete the folder first. */
  reset?: boolean;
  /** Preview server port; 0 (default) picks a free one. */
  port?: number;
  /** Local org port; 0 (default) picks a free one. */
  orgPort?: number;
  /** Simulated latency per page call, in milliseconds. */
  latencyMs?: number;
  /** The build cache folder (build.ts's BUILD_CACHE_DIR by default). */
  buildCacheDir?: string;
  /** Clock for the demo data and the controller; default the real one. */
  now?: () => Date;
  /** Progress lines (npm start prints them). */
  log?: (line: string) => void;
}

export interface Preview {
  url: string;
  org: LocalOrg;
  client: OrgClient;
  server: PreviewServer;
  /** The built site the server serves. */
  siteDir: string;
  demo: DemoIds;
  /** Whether this start created and seeded the data (false: reused). */
  seeded: boolean;
  buildMillis: number;
  /** Stops only the local org (the preview keeps serving): for tests of an org that is down. */
  stopOrg(): Promise<void>;
  stop(): Promise<void>;
}

/** A jsforce connection to the local org, wrapped in the shared client. */
export function clientFor(
  org: { instanceUrl: string; accessToken: string },
  retry: Partial<RetryPolicy> = PAGE_RETRY
): OrgClient {
  const conn = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    version: API_VERSION
  });
  return new OrgClient(conn, { retry });
}

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const log = options.log ?? ((): void => undefined);
  const now = options.now ?? ((): Date => new Date());
  const { dataDir } = options;
  const dbPath = path.join(dataDir, 'org.db');
  const marker = path.join(dataDir, DEMO_MARKER);
  if (options.reset) {
    log(`Starting over: deleting ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
  } else if (existsSync(dbPath) && !existsSync(marker)) {
    // A start that stopped while seeding left half a data set: seed again from scratch.
    log(`The demo data in ${dataDir} is incomplete: starting over`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const org = await startLocalOrg({
      port: options.orgPort ?? 0,
      dbPath,
      now
    });
    let orgStopped: Promise<void> | undefined;
    const stopOrg = (): Promise<void> => (orgStopped ??= org.stop());
    cleanups.push(stopOrg);
    log(`Local org: ${org.instanceUrl} (data in ${dataDir})`);
    const seedClient = clientFor(org, {});
    let demo: DemoIds;
    let seeded = false;
    if (existsSync(marker)) {
      demo = JSON.parse(readFileSync(marker, 'utf8')) as DemoIds;
      log('Reusing the demo data of an earlier start');
    } else {
      log('Seeding the demo data set');
      demo = await seedDemoData(seedClient, now());
      writeFileSync(marker, `${JSON.stringify(demo, null, 2)}\n`);
      seeded = true;
      log(`Seeded with ${seedClient.apiCalls} API calls`);
    }
    log('Building the preview (LWC OSS, base components, SLDS)');
    const build = await buildPreview(options.buildCacheDir);
    const siteDir = build.outDir;
    if (build.cached) log('Reusing the preview build of unchanged sources');
    const client = clientFor(org);
    const server = await startPreviewServer({
      siteDir,
      org: client,
      orgUrl: org.instanceUrl,
      port: options.port ?? 0,
      latencyMs: options.latencyMs ?? 0,
      now
    });
    cleanups.push(() => server.stop());
    return {
      url: server.url,
      org,
      client,
      server,
      siteDir,
      demo,
      seeded,
      buildMillis: build.millis,
      stopOrg,
      stop
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
