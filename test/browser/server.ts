/**
 * The browser tests' server: Bursar in memory on a free port, with cheap password hashing. Also runnable
 * by hand (`npx tsx test/browser/server.ts`) to look at the console.
 */
import { createServer, type BursarServer } from '../../src/server/create-server.js';

export async function startServer(): Promise<BursarServer> {
  return createServer({ ephemeral: true, port: 0, passwordHashCost: 1024 });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer();
  process.stdout.write(`${server.url}/console/\n`);
}
