#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scripts/cli/incident.ts');
process.exitCode = await main(process.argv.slice(2));
