/**
 * A bounded, seeded generator of hostile requests over every door of the API (Query for IAM and STS, JSON 1.1,
 * JSON 1.0, REST-JSON, and lightly the console's endpoint), signed with the root key or not, and the checks
 * every answer must pass: no 5xx, the protocol's error shape, an answer within a generous time. Used by
 * `api-fuzz.test.ts` with a small budget and by `npm run fuzz` (BURSAR_FUZZ_COUNT) with a large one.
 */
import assert from 'node:assert/strict';
import { serviceModels } from '../../src/models/services/index.js';
import type { ServiceModel } from '../../src/models/model.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ROOT_KEY } from '../compat/harness.js';
import { signRequest } from '../sigv4/sign-request.js';

export interface FuzzFigures {
  requests: number;
  statuses: Record<string, number>;
  worstMs: number;
  worstRequest: string;
  rssBeforeMb: number;
  rssAfterMb: number;
}

type Door = 'query' | 'json' | 'rest-json' | 'console';

interface FuzzRequest {
  door: Door;
  description: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  sign: { service: string } | undefined;
}

/** Each answer must come within this: generous, as several engineers share the machine. */
export const ANSWER_LIMIT_MS = 5000;

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Form encoding that lets a lone surrogate through as the invalid UTF-8 it would be on the wire. */
function formEncode(text: string): string {
  return text
    .split(/([\uD800-\uDFFF])/)
    .map((part) => (/^[\uD800-\uDFFF]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

export function createGenerator(seed: number) {
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;

  const byProtocol = (protocol: string) =>
    Object.entries(serviceModels).filter(([, model]) => model.metadata.protocol === protocol);
  const queryServices = byProtocol('query');
  const jsonServices = byProtocol('json');
  const restServices = byProtocol('rest-json');

  function text(): string {
    switch (int(9)) {
      case 0:
        return '';
      case 1:
        return 'a'.repeat(pick([64, 65, 129, 2049, 70_000]));
      case 2:
        return pick(PROTOTYPE_NAMES);
      case 3:
        return '\u0000\uD800\uFFFF%zz%%\r\n<>&"\'';
      case 4:
        return String(pick([-1, 0, 1e308, Number.MAX_SAFE_INTEGER, 1.5]));
      case 5:
        return `arn:aws:iam::${pick(['111122223333', '*', ''])}:${pick(['root', 'user/x', 'policy/*'])}`;
      case 6:
        return '*'.repeat(int(50)) + 'a?'.repeat(int(50));
      case 7:
        return pick(['true', 'false', 'null', '[]', '{}', '2026-13-45T25:61:61Z']);
      default:
        return Math.random()
          .toString(36)
          .slice(2, 2 + int(12));
    }
  }

  function jsonValue(depth: number): unknown {
    if (depth > 3 && chance(0.7)) return text();
    switch (int(8)) {
      case 0:
        return null;
      case 1:
        return int(2) === 0;
      case 2:
        return pick([0, -1, 1e308, 2 ** 53, 0.5]);
      case 3:
        return Array.from({ length: int(4) }, () => jsonValue(depth + 1));
      case 4:
      case 5: {
        const object: Record<string, unknown> = {};
        for (let i = int(4); i > 0; i -= 1) {
          Object.defineProperty(object, chance(0.3) ? pick(PROTOTYPE_NAMES) : text().slice(0, 20), {
            value: jsonValue(depth + 1),
            enumerable: true,
            configurable: true,
            writable: true,
          });
        }
        return object;
      }
      default:
        return text();
    }
  }

  /** A JSON body for an operation: its members with hostile values, or something that is not one at all. */
  function jsonBody(model: ServiceModel, operation: string): string {
    switch (int(8)) {
      case 0:
        return '['.repeat(pick([65, 1000, 20_000])) + ']'.repeat(pick([0, 65, 20_000]));
      case 1:
        return pick(['', '{', 'null', '[]', '"x"', '{"a":1}}', '\uFEFF{}', '{"a":\u0000}']);
      case 2:
        return JSON.stringify({ x: 'y'.repeat(pick([1000, 1_100_000])) });
      default: {
        const input = model.operations[operation]?.input;
        const members = input === undefined ? [] : Object.keys(model.shapes[input.shape]?.members ?? {});
        const body: Record<string, unknown> = {};
        for (const member of members) if (chance(0.6)) body[member] = jsonValue(0);
        if (chance(0.2)) Object.defineProperty(body, '__proto__', { value: { polluted: true }, enumerable: true });
        return JSON.stringify(body);
      }
    }
  }

  function queryRequest(): FuzzRequest {
    const [service, model] = pick(queryServices);
    const action = chance(0.1) ? pick(PROTOTYPE_NAMES) : pick(Object.keys(model.operations));
    const params: string[] = [`Action=${action}`, `Version=${model.metadata.apiVersion}`];
    const input = model.operations[action]?.input;
    const members = input === undefined ? [] : Object.keys(model.shapes[input.shape]?.members ?? {});
    for (const member of members) {
      if (!chance(0.5)) continue;
      const key = chance(0.3) ? `${member}.member.${pick([1, 2, 0, -1, 100000])}${chance(0.5) ? '.Key' : ''}` : member;
      params.push(`${formEncode(key)}=${formEncode(text())}`);
    }
    switch (int(6)) {
      case 0:
        for (let i = pick([100, 5000, 20_000]); i > 0; i -= 1)
          params.push(`ContextEntries.member.${i}.ContextKeyName=k`);
        break;
      case 1:
        params.push(`${'a.'.repeat(pick([10, 5000]))}b=c`, '%E0%A4%A=%', '&&&&', '=x', `${pick(PROTOTYPE_NAMES)}=1`);
        break;
      default:
        break;
    }
    const body = params.join('&');
    return {
      door: 'query',
      description: `${service} ${action} (${body.length} bytes)`,
      method: chance(0.9) ? 'POST' : pick(['GET', 'PUT', 'DELETE']),
      path: chance(0.95) ? '/' : pick(['/x', '/%', '/..%2f', '/_bursar/nope']),
      headers: { 'content-type': pick(['application/x-www-form-urlencoded', 'text/plain', 'application/json']) },
      body,
      sign: chance(0.7) ? { service: chance(0.05) ? pick(PROTOTYPE_NAMES) : service } : undefined,
    };
  }

  function jsonRequest(): FuzzRequest {
    const [service, model] = pick(jsonServices);
    const operation = chance(0.1) ? pick(PROTOTYPE_NAMES) : pick(Object.keys(model.operations));
    const target = chance(0.05)
      ? pick(['', '.', 'x', `${model.metadata.targetPrefix}.`])
      : `${model.metadata.targetPrefix}.${operation}`;
    const body = jsonBody(model, operation);
    return {
      door: 'json',
      description: `${service} ${target} (${body.length} bytes)`,
      method: 'POST',
      path: '/',
      headers: {
        'content-type': `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}`,
        'x-amz-target': target,
      },
      body,
      sign: body.length < 200_000 && chance(0.8) ? { service } : undefined,
    };
  }

  function restRequest(): FuzzRequest {
    const [service, model] = pick(restServices);
    const operation = model.operations[pick(Object.keys(model.operations))]!;
    const body = jsonBody(model, operation.name);
    return {
      door: 'rest-json',
      description: `${service} ${operation.http?.method} ${operation.http?.requestUri} (${body.length} bytes)`,
      method: chance(0.9) ? (operation.http?.method ?? 'POST') : pick(['PUT', 'PATCH', 'DELETE']),
      path: chance(0.9)
        ? (operation.http?.requestUri ?? '/')
        : `/${text()
            .slice(0, 30)
            .replace(/[^a-z]/gi, '')}`,
      headers: { 'content-type': 'application/json' },
      body,
      sign: body.length < 200_000 && chance(0.8) ? { service } : undefined,
    };
  }

  function consoleRequest(): FuzzRequest {
    const body = chance(0.5)
      ? JSON.stringify({
          service: pick(['iam', ...PROTOTYPE_NAMES]),
          operation: pick(['ListUsers', ...PROTOTYPE_NAMES]),
          input: jsonValue(0),
        })
      : jsonBody(serviceModels.iam!, 'ListUsers');
    return {
      door: 'console',
      description: `console call (${body.length} bytes)`,
      method: 'POST',
      path: '/console/api/call',
      headers: { 'content-type': 'application/json' },
      body,
      sign: undefined,
    };
  }

  return (): FuzzRequest => {
    const roll = next();
    return roll < 0.4 ? queryRequest() : roll < 0.75 ? jsonRequest() : roll < 0.95 ? restRequest() : consoleRequest();
  };
}

async function send(
  server: BursarServer,
  request: FuzzRequest,
): Promise<{ response: Response; text: string; ms: number }> {
  let headers = request.headers;
  if (request.sign !== undefined) {
    const host = new URL(server.url).host;
    const signed = await signRequest(
      { method: request.method, host, path: request.path, headers: request.headers, body: request.body },
      ROOT_KEY,
      { service: request.sign.service, at: new Date() },
    );
    headers = Object.fromEntries(signed.headers.filter(([name]) => name !== 'host'));
  }
  const started = performance.now();
  const response = await fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers,
    ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: request.body }),
    redirect: 'manual',
  });
  const text = await response.text();
  return { response, text, ms: performance.now() - started };
}

/** The answer's shape, by the door it came through and its status. */
function checkAnswer(request: FuzzRequest, response: Response, text: string): void {
  const where = `${request.description}: ${response.status} ${text.slice(0, 300)}`;
  assert.ok(response.status < 500, where);
  if (response.status < 300 || response.status === 302) return;
  const type = response.headers.get('content-type') ?? '';
  if (request.door === 'console') {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    assert.equal(typeof body.code, 'string', where);
    return;
  }
  if (type.startsWith('text/xml')) {
    assert.match(
      text,
      /^<ErrorResponse( xmlns="[^"]+")?><Error><Type>(Sender|Receiver)<\/Type><Code>\w+<\/Code><Message>/,
      where,
    );
    return;
  }
  assert.match(type, /^application\/(x-amz-json-1\.[01]|json)/, where);
  const body = JSON.parse(text) as { __type?: unknown; message?: unknown };
  assert.equal(typeof body.__type, 'string', where);
  assert.equal(response.headers.get('x-amzn-errortype'), body.__type, where);
  assert.ok(text.length < 20_000, `${where}: a ${text.length}-character error`);
}

/** Sends `count` generated requests and checks each answer; returns the figures. Throws on the first failure. */
export async function runFuzz(server: BursarServer, count: number, seed: number): Promise<FuzzFigures> {
  const generate = createGenerator(seed);
  const statuses: Record<string, number> = {};
  let worstMs = 0;
  let worstRequest = '';
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < count; i += 1) {
    const request = generate();
    const { response, text, ms } = await send(server, request);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (ms > worstMs) {
      worstMs = ms;
      worstRequest = request.description;
    }
    checkAnswer(request, response, text);
    assert.ok(ms < ANSWER_LIMIT_MS, `${request.description}: answered in ${Math.round(ms)} ms (seed ${seed}, #${i})`);
  }
  return {
    requests: count,
    statuses,
    worstMs,
    worstRequest,
    rssBeforeMb: rssBefore / 2 ** 20,
    rssAfterMb: process.memoryUsage().rss / 2 ** 20,
  };
}

/** The server still serves: its health route, and a good signed call. */
export async function assertHealthy(server: BursarServer): Promise<void> {
  const health = await fetch(`${server.url}/_bursar/health`);
  assert.equal(health.status, 200);
  const { response, text } = await send(server, {
    door: 'query',
    description: 'GetCallerIdentity',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
    sign: { service: 'sts' },
  });
  assert.equal(response.status, 200, text);
  assert.match(text, /<Arn>arn:aws:iam::\d{12}:root<\/Arn>/);
}
