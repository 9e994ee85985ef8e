/**
 * Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core, and the console
 * built once per run. Without Chromium the tests skip, unless BURSAR_REQUIRE_BROWSER=1 (CI).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TEST_CLOCK_SHIFT_MS, testNow } from '../test-clock.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

export function browserUnavailable(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const reason = `${CHROMIUM} not found`;
  if (process.env.BURSAR_REQUIRE_BROWSER === '1') throw new Error(reason);
  return reason;
}

export function buildConsole(): void {
  execFileSync(
    process.execPath,
    [join('node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'error'],
    {
      stdio: 'inherit',
    },
  );
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/**
 * A fresh laptop-sized browser context. When the test servers' clock is shifted, its pages' clock is too:
 * the console computes date ranges (Cost Explorer, budgets, the billing home) from the browser's Date.
 */
export async function newConsoleContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, reducedMotion: 'reduce' });
  // Unshifted, the pages keep the real clock and timers untouched.
  if (TEST_CLOCK_SHIFT_MS !== 0) await context.clock.install({ time: testNow() });
  return context;
}

/**
 * A page in a fresh laptop-sized context that records what would be a bug: uncaught page errors and console
 * errors. Chromium logs every 4xx response as a console error; the refusals a test provokes on purpose are
 * answers, so the statuses in `expectedStatuses` (e.g. `[401, 403]`) are not recorded.
 */
export async function openConsolePage(
  browser: Browser,
  expectedStatuses: number[],
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await newConsoleContext(browser);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const expected = new RegExp(
    `^Failed to load resource: the server responded with a status of (${expectedStatuses.join('|')}) `,
  );
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.test(message.text())) pageErrors.push(message.text());
  });
  return { context, page, pageErrors };
}

/**
 * `it()` for the steps of one browser story: when a step fails, the page as it was is saved beside the other
 * screenshots as `<prefix>-<step name>.png`, and the later steps are skipped rather than timed out one by one.
 */
export function screenshotOnFailure(prefix: string, page: () => Page) {
  let failed = false;
  return (name: string, body: () => Promise<void>) =>
    it(name, async (t) => {
      if (failed) return t.skip('an earlier step failed');
      try {
        await body();
      } catch (error) {
        failed = true;
        const file = `${prefix}-${name.slice(0, 40).replace(/[^a-zA-Z0-9]+/g, '-')}.png`;
        await page().screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
        throw error;
      }
    });
}
