/**
 * `incident org start`: runs the local org in the foreground until interrupted, logged in to
 * the sf auth store under --alias (incident-local) so any client reaches it by alias.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Messages, SfError } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import {
  type FaultKind,
  type FaultOptions,
  FaultOptionsError,
  parseFaultOptions
} from '../../../../local-org/faults.ts';
import { ExitCode, IncidentCommand } from '../../../incident-command.ts';
import { forgetLocalOrg, LOCAL_ORG_ALIAS } from '../../../local-org-auth.ts';
import {
  type OrgStartResult,
  startRegisteredOrg
} from '../../../local-org-start.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'incident-console',
  'incident.org.start'
);

/** Overrides the `.local-org` folder that holds the default database, e.g. for tests. */
export const LOCAL_ORG_DIR_ENV = 'INCIDENT_LOCAL_ORG_DIR';

export type { OrgStartResult } from '../../../local-org-start.ts';

/** What a run ends with: calls per endpoint since the org was ready, and the faults injected into them. */
export interface OrgStopResult {
  instanceUrl: string;
  calls: Record<string, number>;
  faultsInjected: {
    total: number;
    byEndpoint: Record<string, Partial<Record<FaultKind, number>>>;
  };
}

export default class OrgStart extends IncidentCommand<OrgStopResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    port: Flags.integer({
      summary: messages.getMessage('flags.port.summary'),
      min: 0,
      max: 65535,
      default: 0
    }),
    db: Flags.string({ summary: messages.getMessage('flags.db.summary') }),
    'force-app': Flags.directory({
      summary: messages.getMessage('flags.force-app.summary'),
      exists: true
    }),
    faults: Flags.string({
      summary: messages.getMessage('flags.faults.summary')
    }),
    alias: Flags.string({
      char: 'a',
      summary: messages.getMessage('flags.alias.summary'),
      default: LOCAL_ORG_ALIAS
    }),
    'set-audit-fields': Flags.boolean({
      summary: messages.getMessage('flags.set-audit-fields.summary'),
      default: false
    })
  };

  public async run(): Promise<OrgStopResult> {
    const { flags } = await this.parse(OrgStart);
    const cwd = process.cwd();
    for (const name of ['db', 'faults', 'alias'] as const)
      if (flags[name]?.trim() === '')
        throw messages.createError(
          'error.EmptyValue',
          [`--${name}`],
          [],
          ExitCode.usage
        );
    const dbPath = path.resolve(cwd, flags.db ?? defaultDbPath(cwd));
    const faultsFile =
      flags.faults === undefined ? null : path.resolve(cwd, flags.faults);
    // Checked before anything starts: a bad drill file is bad input, exit 2.
    const faults = faultsFile === null ? undefined : readFaultsFile(faultsFile);

    const { org, started } = await startRegisteredOrg({
      port: flags.port,
      dbPath,
      setAuditFields: flags['set-audit-fields'],
      ...(flags['force-app']
        ? { forceAppDir: path.resolve(cwd, flags['force-app']) }
        : {}),
      alias: flags.alias,
      faultsFile,
      ...(faults ? { faults } : {})
    });
    this.reportStarted(started, faults);

    await untilInterrupted();
    await org.stop();
    await forgetLocalOrg(started.username, org.instanceUrl);
    const calls = org.counters.snapshot();
    const byEndpoint = org.faults.injectedSnapshot();
    const stopped: OrgStopResult = {
      instanceUrl: org.instanceUrl,
      calls,
      faultsInjected: { total: org.faults.injectedCount(), byEndpoint }
    };
    this.reportStopped(stopped);
    return stopped;
  }

  /** The start result, at once: with --json as a first document shaped like sf's envelope. */
  private reportStarted(
    started: OrgStartResult,
    faults: FaultOptions | undefined
  ): void {
    if (this.jsonEnabled()) {
      this.logJson({ status: 0, result: started, warnings: [] });
      return;
    }
    const rows: [string, string][] = [
      [messages.getMessage('label.instanceUrl'), started.instanceUrl],
      [messages.getMessage('label.accessToken'), started.accessToken],
      [messages.getMessage('label.database'), started.dbPath],
      [
        messages.getMessage('label.loggedInAs'),
        messages.getMessage('info.loggedIn', [started.username, started.alias])
      ]
    ];
    if (faults && started.faultsFile !== null) {
      const count = faults.rules.length;
      const seed =
        faults.seed === undefined ? '' : `, seed ${String(faults.seed)}`;
      rows.push([
        messages.getMessage('label.faults'),
        messages.getMessage('info.faults', [
          `${String(count)} rule${count === 1 ? '' : 's'}`,
          `${started.faultsFile}${seed}`
        ])
      ]);
    }
    this.log(messages.getMessage('info.started'));
    this.keyValueTable(rows);
    this.log(
      messages.getMessage('info.useIt', [
        `${this.config.bin} incident org display`,
        started.alias
      ])
    );
    this.log(messages.getMessage('info.stopHow'));
  }

  private reportStopped(stopped: OrgStopResult): void {
    this.log(messages.getMessage('info.stopped'));
    const endpoints = Object.keys(stopped.calls);
    if (endpoints.length === 0) this.log(messages.getMessage('info.noCalls'));
    else {
      this.log(messages.getMessage('info.calls'));
      this.table({
        data: endpoints.map((endpoint) => ({
          endpoint,
          calls: stopped.calls[endpoint] ?? 0,
          faults: Object.entries(
            stopped.faultsInjected.byEndpoint[endpoint] ?? {}
          )
            .map(([kind, count]) => `${String(count)} ${kind}`)
            .join(', ')
        }))
      });
    }
    const total = Object.values(stopped.calls).reduce((sum, n) => sum + n, 0);
    this.log(
      messages.getMessage('info.faultsTotal', [
        stopped.faultsInjected.total,
        total
      ])
    );
  }
}

function defaultDbPath(cwd: string): string {
  const dir = process.env[LOCAL_ORG_DIR_ENV];
  return path.join(
    dir ? path.resolve(cwd, dir) : path.join(cwd, '.local-org'),
    'org.db'
  );
}

/**
 * Resolves on the first Ctrl+C or SIGTERM. SfCommand answers those signals by exiting at
 * once (status 130); a server must stop first and report, so its handlers make way here.
 */
function untilInterrupted(): Promise<void> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.removeAllListeners(signal);
  return new Promise((resolve) => {
    for (const signal of signals)
      process.once(signal, () => {
        resolve();
      });
  });
}

/** A drill's fault file, checked by the local org's own rules before anything starts. */
export function readFaultsFile(file: string): FaultOptions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usage('error.FaultsUnreadable', [file, reasonOf(error)]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usage('error.FaultsNotJson', [file, reasonOf(error)]);
  }
  try {
    return parseFaultOptions(value, file);
  } catch (error) {
    if (error instanceof FaultOptionsError)
      throw usage('error.FaultsInvalid', [
        error.source,
        error.path,
        error.problem
      ]);
    throw error;
  }
}

function usage(key: string, tokens: string[]): SfError {
  return messages.createError(key, tokens, [], ExitCode.usage);
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT')
    return 'no such file';
  return error instanceof Error ? error.message : String(error);
}
