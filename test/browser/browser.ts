/**
 * Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core, and the console
 * built once per run. Without Chromium the tests skip, unless BURSAR_REQUIRE_BROWSER=1 (CI).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
