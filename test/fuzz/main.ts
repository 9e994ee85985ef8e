/**
 * `npm run fuzz`: the API fuzz run with a large budget, printing its figures.
 * BURSAR_FUZZ_COUNT requests (default 5,000), BURSAR_FUZZ_SEED to replay a run.
 */
import { startServer } from '../compat/harness.js';
import { assertHealthy, runFuzz } from './api-fuzz.js';

const count = Number(process.env.BURSAR_FUZZ_COUNT ?? 5000);
const seed = Number(process.env.BURSAR_FUZZ_SEED ?? Date.now() % 2 ** 31);
const server = await startServer();
try {
  const started = performance.now();
  const figures = await runFuzz(server, count, seed);
  await assertHealthy(server);
  const seconds = (performance.now() - started) / 1000;
  const statuses = Object.entries(figures.statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  process.stdout.write(
    `API fuzz — seed ${seed}\n` +
      `requests        ${figures.requests} in ${seconds.toFixed(1)} s\n` +
      `statuses        ${statuses}\n` +
      `worst latency   ${figures.worstMs.toFixed(1)} ms (${figures.worstRequest})\n` +
      `RSS             ${figures.rssBeforeMb.toFixed(0)} MB before, ${figures.rssAfterMb.toFixed(0)} MB after\n` +
      `healthy after   yes (health route, signed GetCallerIdentity)\n`,
  );
} catch (error) {
  process.stderr.write(`API fuzz failed (seed ${seed}): ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await server.close();
}
