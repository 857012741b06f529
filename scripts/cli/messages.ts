/** User-facing text of the incident CLI, kept apart from the logic. */
export const messages = {
  usage: `Usage: incident <command> [options]

Commands:
  org start [--port N] [--db PATH] [--force-app DIR]
      Start the local org (an embedded Salesforce stand-in on SQLite). Prints the instance URL
      and access token and records them in .local-org/auth.json, so other commands accept
      --target-org local.
`,
  orgStarted: (
    instanceUrl: string,
    accessToken: string,
    authFile: string
  ): string =>
    `Local org running.\n  Instance URL: ${instanceUrl}\n  Access token: ${accessToken}\n  Recorded in ${authFile} (use --target-org local)\nPress Ctrl+C to stop.\n`,
  orgStopped: 'Local org stopped.\n',
  unknownCommand: (command: string): string => `Unknown command: ${command}\n`,
  badOption: (detail: string): string => `Bad usage: ${detail}\n`
};
