/** The API fuzz run with a small budget (`npm run fuzz` runs it with a large one). */
import { after, before, it } from 'node:test';
import type { BursarServer } from '../../src/server/create-server.js';
import { startServer } from '../compat/harness.js';
import { assertHealthy, runFuzz } from './api-fuzz.js';

let server: BursarServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.close();
});

it('answers generated hostile requests at every door in shape and in time, and stays healthy', async () => {
  // A new seed every run widens what the suite covers over time; a failure names its seed to replay it.
  const seed = Number(process.env.BURSAR_FUZZ_SEED ?? Date.now() % 2 ** 31);
  await runFuzz(server, 150, seed).catch((error: unknown) => {
    throw new Error(`seed ${seed}: ${error instanceof Error ? error.message : String(error)}`);
  });
  await assertHealthy(server);
});
