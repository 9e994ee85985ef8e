/**
 * Scenarios in the console, in Chromium: the IAM dashboard's Export downloads the account as a YAML scenario;
 * Import scenario uploads the seed tutorial, previews its changes, applies them and shows what was made (the
 * users then exist), a second preview finds nothing to change, and an invalid file is shown its errors with
 * line and column and cannot be applied.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, openConsolePage, screenshotOnFailure } from './browser.js';
import { expect } from './pages/expect.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { startServer } from './server.js';

const skip = browserUnavailable();

describe('the IAM console: export and import a scenario', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    ({ page, pageErrors } = await openConsolePage(browser, []));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const step = screenshotOnFailure('scenario-failed', () => page);
  const upload = async (name: string, text: string) => {
    await page.locator('input[type="file"]').setInputFiles({
      name,
      mimeType: 'application/yaml',
      buffer: Buffer.from(text),
    });
    await page.getByRole('button', { name: 'Preview changes' }).click();
  };

  step('signs up, and imports the seed tutorial: preview, apply, the changes made', async () => {
    await new SignUpPage(page).createAccount(server.url, 'owner@scenario.example', 'Scenario', 'Scenario-Pass1!');
    await page.goto(`${server.url}/console/#/iam`);
    await page.getByRole('link', { name: 'Import scenario' }).click();
    await expect(page.getByRole('heading', { name: 'Import scenario', level: 1 }), 'import page').toBeVisible();
    await upload('seed-tutorial.yaml', await readFile('examples/seed-tutorial.yaml', 'utf8'));
    const planned = page.getByRole('table', { name: /Changes to apply/ });
    await expect(planned.getByText('+ user FinanceManager', { exact: true }), 'planned user').toBeVisible();
    await expect(page.getByRole('heading', { name: /Changes to apply \(13\)/ }), 'thirteen changes').toBeVisible();

    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByText('Scenario applied'), 'applied').toBeVisible();
    await expect(page.getByText('13 change(s) made.'), 'count').toBeVisible();
    const made = page.getByRole('table', { name: /Changes made/ });
    await expect(made.getByText('~ user FinanceUser: add to group BillingViewAccessGroup'), 'membership').toBeVisible();

    // Applied: the users are there, and previewing the file again finds nothing to do.
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await expect(page.getByText('No changes: the account already matches the scenario.'), 'no changes').toBeVisible();
    assert.equal(await page.getByRole('button', { name: 'Apply' }).isDisabled(), true);
  });

  step('shows an invalid file its errors with line and column, and offers no apply', async () => {
    await upload('broken.yaml', 'version: 1\nusers:\n  - name: Bad Name!\n');
    const errors = page.getByRole('table', { name: /Errors in broken\.yaml/ });
    const row = errors.getByRole('row').filter({ hasText: 'does not match' });
    await expect(row, 'error row').toBeVisible();
    assert.deepEqual((await row.getByRole('cell').allInnerTexts()).slice(0, 2), ['3', '11']);
    assert.equal(await page.getByRole('button', { name: 'Apply' }).isDisabled(), true);
  });

  step('exports the account from the IAM dashboard as a YAML scenario', async () => {
    await page.goto(`${server.url}/console/#/iam`);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'scenario.yaml');
    const text = await readFile((await download.path())!, 'utf8');
    assert.match(text, /^\$schema: https:\/\/bursar\.dev\/schemas\/scenario\.schema\.json\nversion: 1\n/);
    assert.match(text, /\n {2}- name: FinanceManager\n/);
    assert.deepEqual(pageErrors, []);
  });
});
