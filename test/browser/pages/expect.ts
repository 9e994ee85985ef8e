/**
 * A small waiting assertion over Playwright locators (playwright-core ships no test runner): poll until the
 * condition holds or the time runs out, then fail with what was seen.
 */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';

const TIMEOUT = 10_000;

async function poll(check: () => Promise<boolean>, describe: () => Promise<string>) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(await describe());
}

export function expect(locator: Locator, what: string) {
  const text = async () => ((await locator.count()) > 0 ? await locator.first().innerText() : '(nothing)');
  return {
    toContainText: (expected: string | RegExp) =>
      poll(
        async () => {
          const seen = await locator.first().innerText();
          return typeof expected === 'string' ? seen.includes(expected) : expected.test(seen);
        },
        async () => `${what}: expected ${String(expected)}, saw: ${await text()}`,
      ),
    toBeVisible: () =>
      poll(
        () => locator.first().isVisible(),
        async () => `${what}: expected to be visible`,
      ),
    toHaveCount: (expected: number) =>
      poll(
        async () => (await locator.count()) === expected,
        async () => `${what}: expected ${expected} matches, saw ${await locator.count()}`,
      ),
    toHaveValue: (expected: string) =>
      poll(
        async () => (await locator.first().inputValue()) === expected,
        async () =>
          `${what}: expected value ${expected}, saw ${await locator
            .first()
            .inputValue()
            .catch(() => '?')}`,
      ),
  };
}
