/**
 * Writes src/contracts/wire/<service>.ts from the vendored models, for the operations the server registers:
 * `npm run generate:wire-types`. It builds the server's world on an in-memory database to learn which those are.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registeredOperations } from './registered-operations.js';
import { wireTypeFiles } from './wire-types.js';
import { serviceModels } from '../src/models/services/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const registered = await registeredOperations();
for (const [path, text] of await wireTypeFiles(serviceModels, registered, root)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  process.stdout.write(`${path}\n`);
}
