import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { registeredOperations } from '../../scripts/registered-operations.js';
import { WIRE_DIRECTORY, wireTypeFiles, wireTypesSource } from '../../scripts/wire-types.js';
import { serviceModels } from '../../src/models/services/index.js';
import type { ServiceModel } from '../../src/models/model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

test('the committed wire types are what the generator makes of the models (npm run generate:wire-types)', async () => {
  const expected = await wireTypeFiles(serviceModels, await registeredOperations(), root);
  const committed = readdirSync(join(root, WIRE_DIRECTORY)).map((file) => `${WIRE_DIRECTORY}/${file}`);
  assert.deepEqual(committed.sort(), [...expected.keys()].sort(), 'one generated file per modelled service');
  for (const [path, text] of expected) {
    assert.equal(readFileSync(join(root, path), 'utf8'), text, `${path} is stale: run npm run generate:wire-types`);
  }
});

const model: ServiceModel = {
  metadata: { apiVersion: '2020-01-01', endpointPrefix: 'demo', protocol: 'json', serviceId: 'Demo' },
  operations: {
    PutThing: { name: 'PutThing', input: { shape: 'PutThingRequest' }, output: { shape: 'PutThingResponse' } },
    Unused: { name: 'Unused', input: { shape: 'UnusedRequest' } },
  },
  shapes: {
    Name: { type: 'string', min: 1 },
    Colour: { type: 'string', enum: ['RED', 'GREEN'] },
    Stamp: { type: 'timestamp' },
    Names: { type: 'list', member: { shape: 'Name' } },
    Labels: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Colour' } },
    PutThingRequest: {
      type: 'structure',
      required: ['Name'],
      members: { Name: { shape: 'Name' }, Aliases: { shape: 'Names' }, 'odd-key': { shape: 'Labels' } },
    },
    PutThingResponse: { type: 'structure', members: { CreatedAt: { shape: 'Stamp' }, Colour: { shape: 'Colour' } } },
    UnusedRequest: { type: 'structure', members: { Secret: { shape: 'Name' } } },
  },
};

test('structures become interfaces with the required members required, enums string unions, timestamps Date', () => {
  const source = wireTypesSource('demo', model, ['PutThing']);
  assert.match(
    source,
    /export interface PutThingRequest \{\n {2}Name: string;\n {2}Aliases\?: string\[\];\n {2}"odd-key"\?: Record<string, Colour>;\n\}/,
  );
  assert.match(source, /export interface PutThingResponse \{\n {2}CreatedAt\?: Date;\n {2}Colour\?: Colour;\n\}/);
  assert.match(source, /export type Colour = "RED" \| "GREEN";/);
  assert.match(source, /PutThing: \{ input: PutThingRequest; output: PutThingResponse \};/);
});

test('only the shapes the registered operations reach are written, and an unknown operation is refused', () => {
  assert.doesNotMatch(wireTypesSource('demo', model, ['PutThing']), /UnusedRequest|Unused:/);
  assert.throws(() => wireTypesSource('demo', model, ['Missing']), /no operation Missing in the model/);
});
