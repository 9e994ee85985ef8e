import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FixedClock } from './clock.js';
import { BoundedCache } from './bounded-cache.js';
import { configFromEnv, DEFAULT_PORT } from './config.js';
import {
  accessKeyId,
  accountId,
  cryptoIdSource,
  randomString,
  requestId,
  secretAccessKey,
  seededIdSource,
  sessionToken,
  uniqueId,
} from './ids.js';

describe('ids in AWS formats', () => {
  it('makes unique ids, keys, secrets, request and account ids of the right shape', () => {
    const ids = seededIdSource('formats');
    assert.match(uniqueId(ids, 'AIDA'), /^AIDA[A-Z2-7]{17}$/);
    assert.match(accessKeyId(ids, 'AKIA'), /^AKIA[A-Z2-7]{16}$/);
    assert.match(accessKeyId(ids, 'ASIA'), /^ASIA[A-Z2-7]{16}$/);
    assert.match(secretAccessKey(ids), /^[A-Za-z0-9+/]{40}$/);
    assert.match(sessionToken(ids), /^IQoJb3JpZ2luX2Vj[A-Za-z0-9+/=]+$/);
    assert.match(requestId(ids), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(accountId(ids), /^[1-9]\d{11}$/);
    assert.match(randomString(ids, 12), /^[A-Za-z0-9]{12}$/);
  });

  it('is deterministic with a seeded source and distinct across seeds', () => {
    assert.equal(uniqueId(seededIdSource('a'), 'AGPA'), uniqueId(seededIdSource('a'), 'AGPA'));
    assert.notEqual(uniqueId(seededIdSource('a'), 'AGPA'), uniqueId(seededIdSource('b'), 'AGPA'));
  });

  it('never hands out the same pooled random bytes twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(cryptoIdSource.bytes(16).toString('hex'));
    assert.equal(seen.size, 2000);
    assert.equal(cryptoIdSource.bytes(10_000).length, 10_000);
  });
});

describe('clock and config', () => {
  it('a fixed clock moves only when told', () => {
    const clock = new FixedClock('2026-11-27T00:00:00Z');
    assert.equal(clock.now().toISOString(), '2026-11-27T00:00:00.000Z');
    clock.advance(1500);
    assert.equal(clock.now().toISOString(), '2026-11-27T00:00:01.500Z');
  });

  it('reads the environment with documented defaults', () => {
    const defaults = configFromEnv({});
    assert.equal(defaults.port, DEFAULT_PORT);
    assert.equal(defaults.host, '127.0.0.1');
    assert.equal(defaults.ephemeral, false);
    assert.equal(defaults.trustProxy, false, 'X-Forwarded-* ignored unless asked for');
    assert.equal(configFromEnv({ BURSAR_TRUST_PROXY: '1' }).trustProxy, true);
    assert.equal(configFromEnv({ BURSAR_TRUST_PROXY: 'true' }).trustProxy, true);
    const custom = configFromEnv({
      BURSAR_PORT: '8080',
      BURSAR_EPHEMERAL: '1',
      BURSAR_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      BURSAR_BOOTSTRAP_ACCOUNT_ID: '111122223333',
    });
    assert.deepEqual(
      [custom.port, custom.ephemeral, custom.databaseUrl, custom.bootstrap.accountId],
      [8080, true, 'postgres://postgres@127.0.0.1:5432/test', '111122223333'],
    );
    assert.throws(() => configFromEnv({ BURSAR_PORT: 'eighty' }), /invalid port/);
  });

  it('reads where cost parts live and the cost engine memory cap, store credentials before AWS_*', () => {
    assert.deepEqual(configFromEnv({}).costs, {});
    assert.deepEqual(
      configFromEnv({
        BURSAR_COST_STORE: 's3://bucket/prefix',
        BURSAR_COST_STORE_ENDPOINT: 'http://127.0.0.1:9000',
        BURSAR_COST_MEMORY_LIMIT: '1GB',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIAFORBURSARITSELF0',
        AWS_SECRET_ACCESS_KEY: 'secret-for-bursar',
        BURSAR_COST_STORE_ACCESS_KEY_ID: 'AKIAFOROBJECTSTORE00',
        BURSAR_COST_STORE_SECRET_ACCESS_KEY: 'secret-for-the-object-store',
      }).costs,
      {
        store: 's3://bucket/prefix',
        endpoint: 'http://127.0.0.1:9000',
        region: 'eu-west-1',
        memoryLimit: '1GB',
        credentials: { accessKeyId: 'AKIAFOROBJECTSTORE00', secretAccessKey: 'secret-for-the-object-store' },
      },
    );
  });
});

describe('bounded cache', () => {
  it('never holds more than its limit, forgetting the entry set longest ago', () => {
    const cache = new BoundedCache<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c', 'd', 'e'].entries()) cache.set(key, i);
    assert.equal(cache.size, 3);
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map((key) => cache.get(key)),
      [undefined, undefined, 2, 3, 4],
    );
  });

  it('counts a key set again as the newest, and keeps its size', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    assert.equal(cache.size, 2);
    cache.set('c', 4);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 3);
  });

  it('tells onEvict of each entry forgotten to make room, not of deletes', () => {
    const evicted: Array<[string, number]> = [];
    const cache = new BoundedCache<string, number>(2, (key, value) => evicted.push([key, value]));
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.delete('b');
    cache.set('c', 4);
    cache.set('d', 5);
    assert.deepEqual(evicted, [['a', 3]]);
  });

  it('computes a missing value once, remembering undefined too', () => {
    const cache = new BoundedCache<string, number | undefined>(4);
    let made = 0;
    const make = () => {
      made++;
      return undefined;
    };
    assert.equal(cache.getOrSet('x', make), undefined);
    assert.equal(cache.getOrSet('x', make), undefined);
    assert.equal(made, 1);
  });

  it('refuses a limit that holds nothing', () => {
    assert.throws(() => new BoundedCache(0), RangeError);
  });

  it('with a weight, holds entries up to the limit together, forgetting the oldest until a new one fits', () => {
    const evicted: string[] = [];
    const cache = new BoundedCache<string, number>(
      10,
      (key) => evicted.push(key),
      (weight) => weight,
    );
    cache.set('a', 4);
    cache.set('b', 4);
    cache.set('c', 4);
    assert.deepEqual(evicted, ['a']);
    cache.set('b', 1);
    cache.set('d', 5);
    assert.deepEqual([cache.has('b'), cache.has('c'), cache.has('d')], [true, true, true]);
    cache.set('huge', 50);
    assert.deepEqual(evicted, ['a', 'c', 'b', 'd']);
    assert.equal(cache.size, 1, 'an entry heavier than the limit is kept, alone');
    cache.delete('huge');
    cache.set('e', 10);
    assert.equal(cache.size, 1);
  });
});
