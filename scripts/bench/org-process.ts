/**
 * Benchmark helper: a local org in a process of its own, so the peak memory it reports is
 * the org's alone (not the client's, nor an earlier case's). It prints one JSON line with its
 * instance URL and token, and on any line on stdin prints { peakRssMb, cpuMs } (its CPU time
 * since it was ready) and stops.
 *
 * Usage: node --import tsx scripts/bench/org-process.ts <db file>
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalOrg } from '../local-org/server.ts';

const FORCE_APP = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../force-app'
);

const dbPath = process.argv[2];
if (dbPath === undefined) {
  process.stderr.write('usage: org-process.ts <db file>\n');
  process.exit(2);
}
const org = await startLocalOrg({ port: 0, dbPath, forceAppDir: FORCE_APP });
process.stdout.write(
  `${JSON.stringify({ instanceUrl: org.instanceUrl, accessToken: org.accessToken })}\n`
);
// CPU time from here on: the case's work, without the start-up (module loading, schema).
const cpuAtStart = process.cpuUsage();
process.stdin.once('data', () => {
  // maxRSS is in kilobytes: the most resident memory the process ever held.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(`${JSON.stringify({ peakRssMb, cpuMs })}\n`);
  void org.stop().then(() => process.exit(0));
});
