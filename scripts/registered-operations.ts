/** The operation names the server registers, per service: read from a world built on an in-memory database. */
import { FixedClock } from '../src/platform/clock.js';
import { seededIdSource } from '../src/platform/ids.js';
import { silentLogger } from '../src/platform/logger.js';
import { buildWorld } from '../src/server/world.js';
import { openDatabase } from '../src/store/database.js';

export async function registeredOperations(): Promise<(service: string) => string[]> {
  const database = await openDatabase({ ephemeral: true });
  try {
    const world = await buildWorld({
      database,
      clock: new FixedClock(new Date('2026-01-01T00:00:00Z')),
      ids: seededIdSource('wire-types'),
      logger: silentLogger,
      region: 'us-east-1',
    });
    return (service) => world.registry.names(service);
  } finally {
    await database.close();
  }
}
