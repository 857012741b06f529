/** User-facing text of the incident CLI, kept apart from the logic. */

export interface FlagHelp {
  /** As typed, e.g. '-o, --target-org ORG'. */
  syntax: string;
  summary: string;
}

export interface CommandHelp {
  summary: string;
  usage: string;
  flags: FlagHelp[];
  examples: string[];
}

const jsonFlag: FlagHelp = {
  syntax: '--json',
  summary: 'Print the result as JSON: { status, result, warnings }.'
};
const helpFlag: FlagHelp = {
  syntax: '-h, --help',
  summary: 'Show this help.'
};

/** Flags of every command that talks to an org (scripts/cli/flags.ts orgFlags). */
export const orgFlagHelp: FlagHelp[] = [
  {
    syntax: '-o, --target-org ORG',
    summary:
      "Alias or username of an org the sf CLI is logged in to, or 'local' for the local org started by `incident org start`. Default: the sf config's target-org."
  },
  {
    syntax: '--instance-url URL',
    summary:
      'Instance URL of the org, used with --access-token instead of --target-org (env SF_INSTANCE_URL).'
  },
  {
    syntax: '--access-token TOKEN',
    summary:
      'Session id or OAuth access token, used with --instance-url (env SF_ACCESS_TOKEN).'
  },
  {
    syntax: '--api-version N',
    summary: 'API version to call, e.g. 64.0 (default 64.0).'
  }
];

export const commandHelp = {
  'org start': {
    summary:
      'Start the local org: an embedded Salesforce stand-in on SQLite, on 127.0.0.1. Runs until Ctrl+C.',
    usage:
      'incident org start [--port N] [--db PATH] [--force-app DIR] [--faults FILE] [--json]',
    flags: [
      {
        syntax: '--port N',
        summary: 'Port to listen on; 0 (default) picks a free one.'
      },
      {
        syntax: '--db PATH',
        summary:
          'SQLite file holding the org; default .local-org/org.db (kept between runs).'
      },
      {
        syntax: '--force-app DIR',
        summary:
          "Source folder to deploy at start; default the project's force-app."
      },
      {
        syntax: '--faults FILE',
        summary:
          'Inject faults for a drill, from a JSON file { "seed": 42, "rules": [{ "endpoint", "kind", "calls" or "rate" }] } (see config/local-org-faults.example.json). On stop, prints the calls per endpoint and the faults injected.'
      },
      jsonFlag,
      helpFlag
    ],
    examples: [
      'incident org start',
      'incident org start --port 8787 --db /tmp/demo.db',
      'incident org start --db /tmp/drill.db --faults config/local-org-faults.example.json'
    ]
  },
  'org display': {
    summary:
      'Show the org a command would use: org id, user, instance URL, API version and daily API requests remaining.',
    usage:
      'incident org display [--target-org ORG | --instance-url URL --access-token TOKEN] [--api-version N] [--json]',
    flags: [...orgFlagHelp, jsonFlag, helpFlag],
    examples: [
      'incident org display --target-org local',
      'incident org display --target-org my-sandbox --json',
      'SF_INSTANCE_URL=https://example.my.salesforce.com SF_ACCESS_TOKEN=00D... incident org display'
    ]
  }
} satisfies Record<string, CommandHelp>;

export type CommandId = keyof typeof commandHelp;

function formatFlags(flags: readonly FlagHelp[]): string {
  // Long-only flags line up under the long names of flags that also have a short form.
  const shown = flags.map((flag) =>
    flag.syntax.startsWith('--') ? `    ${flag.syntax}` : flag.syntax
  );
  const width = Math.max(...shown.map((syntax) => syntax.length));
  return flags
    .map(
      (flag, index) =>
        `  ${(shown[index] ?? '').padEnd(width)}  ${flag.summary}`
    )
    .join('\n');
}

export function formatCommandHelp(id: CommandId): string {
  const help: CommandHelp = commandHelp[id];
  return [
    `incident ${id}: ${help.summary}`,
    '',
    `Usage: ${help.usage}`,
    '',
    'Flags:',
    formatFlags(help.flags),
    '',
    'Examples:',
    ...help.examples.map((example) => `  ${example}`),
    ''
  ].join('\n');
}

export function formatUsage(): string {
  const ids = Object.keys(commandHelp) as CommandId[];
  const width = Math.max(...ids.map((id) => id.length));
  return [
    'Usage: incident <command> [flags]',
    '',
    'Commands:',
    ...ids.map((id) => `  ${id.padEnd(width)}  ${commandHelp[id].summary}`),
    '',
    "Run 'incident <command> --help' for a command's flags.",
    'Exit codes: 0 success, 1 some records or the command failed, 2 bad usage or input.',
    ''
  ].join('\n');
}

export const messages = {
  unknownCommand: (command: string): string =>
    `Unknown command '${command}'. Run 'incident --help' for the list of commands.`,
  missingCommand:
    "Missing command. Run 'incident --help' for the list of commands.",

  flagNeedsValue: (flag: string): string => `${flag} needs a value.`,
  badPort: (value: string): string =>
    `--port must be a whole number from 0 to 65535, got '${value}'.`,
  badApiVersion: (value: string): string =>
    `--api-version must look like 64.0, got '${value}'.`,
  badInstanceUrl: (source: string, value: string): string =>
    `${source} must be an http:// or https:// URL such as https://example.my.salesforce.com, got '${value}'.`,
  conflictingTargets:
    'Use either --target-org, or --instance-url with --access-token, not both.',
  missingPair: (given: string, missing: string, envName: string): string =>
    `${given} needs ${missing} too (or set ${envName}).`,
  halfEnvironment: (set: string, unset: string): string =>
    `${set} is set but ${unset} is not, so both are ignored.`,
  noTargetOrg:
    "No org given. Pass --target-org ORG (an sf alias or username, or 'local' for the local org), or --instance-url with --access-token, or set a default with `sf config set target-org ORG`.",
  unknownTargetOrg: (name: string, fromConfig: boolean): string =>
    fromConfig
      ? `The sf config's target-org '${name}' has no authorization in the sf CLI. Log in with \`sf org login web --alias ${name}\` or change the default with \`sf config set target-org ORG\`.`
      : `--target-org '${name}' is not an alias or username the sf CLI is logged in to. Run \`sf org list\` to see them, or log in with \`sf org login web --alias ${name}\`. For the local org use --target-org local.`,
  sfAuthUnusable: (name: string, detail: string): string =>
    `--target-org '${name}': the sf CLI's authorization could not be read: ${detail}`,
  noLocalOrg: (file: string): string =>
    `--target-org local: no local org is recorded in ${file}. Start one with \`incident org start\` (in this folder, or set INCIDENT_LOCAL_ORG_DIR to its .local-org folder).`,
  localOrgDown: (file: string, instanceUrl: string): string =>
    `--target-org local: the local org recorded in ${file} (${instanceUrl}) is not answering. Start it again with \`incident org start\`.`,
  localAuthInvalid: (file: string, detail: string): string =>
    `${file}: ${detail}. Start the local org again with \`incident org start\` to rewrite it.`,

  faultsUnreadable: (file: string, reason: string): string =>
    `--faults ${file}: the file cannot be read: ${reason}.`,
  faultsNotJson: (file: string, reason: string): string =>
    `--faults ${file}: not valid JSON: ${reason}.`,
  faultsInvalid: (file: string, jsonPath: string, problem: string): string =>
    `--faults ${file}: ${jsonPath}: ${problem}.`,

  orgStarted: (
    instanceUrl: string,
    accessToken: string,
    authFile: string,
    faults?: { file: string; rules: number; seed: number | undefined }
  ): string =>
    [
      'Local org running.',
      `  Instance URL: ${instanceUrl}`,
      `  Access token: ${accessToken}`,
      `  Recorded in:  ${authFile}`,
      ...(faults
        ? [
            `  Faults:       ${String(faults.rules)} rule${faults.rules === 1 ? '' : 's'} from ${faults.file}${faults.seed === undefined ? '' : `, seed ${String(faults.seed)}`}`
          ]
        : []),
      '',
      'Use it from another terminal:',
      '  incident org display --target-org local',
      `  incident org display --instance-url ${instanceUrl} --access-token '${accessToken}'`,
      '',
      'Press Ctrl+C to stop.',
      ''
    ].join('\n'),
  orgStopped: (
    calls: Readonly<Record<string, number>>,
    faults: Readonly<Record<string, Readonly<Record<string, number>>>>
  ): string => {
    const endpoints = Object.keys(calls);
    const total = (counts: Readonly<Record<string, number>>): number =>
      Object.values(counts).reduce((sum, count) => sum + count, 0);
    const injected = Object.values(faults).reduce(
      (sum, kinds) => sum + total(kinds),
      0
    );
    const width = Math.max(0, ...endpoints.map((name) => name.length));
    const countWidth = Math.max(
      0,
      ...Object.values(calls).map((count) => String(count).length)
    );
    const rows = endpoints.map((endpoint) => {
      const kinds = Object.entries(faults[endpoint] ?? {});
      const note = kinds.length
        ? `  faults: ${kinds.map(([kind, count]) => `${String(count)} ${kind}`).join(', ')}`
        : '';
      return `  ${endpoint.padEnd(width)}  ${String(calls[endpoint] ?? 0).padStart(countWidth)}${note}`;
    });
    return [
      'Local org stopped.',
      endpoints.length ? 'Calls per endpoint:' : 'Calls per endpoint: none.',
      ...rows,
      `Faults injected: ${String(injected)} in ${String(total(calls))} calls.`,
      ''
    ].join('\n');
  },

  orgDisplay: (rows: readonly (readonly [string, string])[]): string => {
    const width = Math.max(...rows.map(([label]) => label.length));
    return `${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n`;
  },
  orgDisplayLabels: {
    orgId: 'Org ID',
    username: 'Username',
    userId: 'User ID',
    instanceUrl: 'Instance URL',
    apiVersion: 'API version',
    dailyApiRequests: 'Daily API requests',
    connectedWith: 'Connected with'
  },
  apiRequestsLeft: (remaining: number, max: number): string =>
    `${remaining.toLocaleString('en-US')} of ${max.toLocaleString('en-US')} remaining`,
  noApiLimit: 'not reported by the org',
  source: {
    flags: '--instance-url and --access-token',
    environment: 'SF_INSTANCE_URL and SF_ACCESS_TOKEN',
    localOrg: (authFile: string): string => `--target-org local (${authFile})`,
    sfAuth: (targetOrg: string, fromConfig: boolean): string =>
      fromConfig
        ? `the sf config's target-org '${targetOrg}'`
        : `--target-org ${targetOrg} (sf CLI login)`
  },

  error: (message: string): string => `Error: ${message}\n`,
  warning: (message: string): string => `Warning: ${message}\n`
};
