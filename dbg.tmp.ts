import { createServer } from './src/server/create-server.js';
import { seedDemoCosts } from './src/billing/costs/demo-seed.js';
const server = await createServer({ ephemeral: true, port: 0, passwordHashCost: 1024, bootstrap: { accountId: '111122223333' },
  logger: { debug() {}, info() {}, warn: (m, f) => console.log(m, f), error: (m, f) => console.log(m, f) } });
await seedDemoCosts(server.world().billing, { payer: { id: '111122223333', name: 'D' }, now: new Date(), rows: 300 });
const d = server.world().exportDeliveries;
await d.request('111122223333', 'x', { Name: 'x', DataQuery: { QueryStatement: process.argv[2]! }, DestinationConfigurations: { S3Destination: { S3Bucket: 'b', S3Prefix: 'p', S3Region: 'us-east-1', S3OutputConfigurations: { OutputType: 'CUSTOM', Format: 'TEXT_OR_CSV', Compression: 'GZIP', Overwrite: 'OVERWRITE_REPORT' } } }, RefreshCadence: { Frequency: 'SYNCHRONOUS' } } as never);
await d.idle();
console.log(await server.world().database.db.selectFrom('bcm_export_execution').select(['status_code']).execute());
await server.close();
