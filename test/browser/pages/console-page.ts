/** What every signed-in console page has: the navigation bar with the account menu, flash messages. */
import { expect } from './expect.js';
import type { Locator, Page } from 'playwright-core';

/** An Ace editor's element: Ace keeps the editor on it. */
export interface AceElement {
  env: { editor: { getValue(): string; setValue(value: string, cursor: number): void } };
}

export class ConsolePage {
  constructor(readonly page: Page) {}

  /**
   * Replaces the document of the JSON code editor labelled `label`, as a paste into it does. Ace words its
   * input's name as the label and the cursor's place ("Trust policy JSON, Cursor at row 1").
   */
  async fillJson(label: string, text: string) {
    const input = this.page.getByLabel(label).first();
    await input.waitFor({ state: 'attached' });
    await input.evaluate(
      (element, value) =>
        (
          (element as unknown as { closest(selector: string): unknown }).closest('.ace_editor') as AceElement
        ).env.editor.setValue(value, 1),
      text,
    );
  }

  /** The line numbers of the JSON code editor labelled `label`. */
  async jsonLineNumbers(label: string): Promise<string[]> {
    const editor = this.page.locator('.ace_editor').filter({ has: this.page.getByLabel(label) });
    return editor.locator('.ace_gutter-cell').allInnerTexts();
  }

  accountMenu(): Locator {
    return this.page.getByRole('button', { name: /^Account menu for / });
  }

  async accountMenuLabel(): Promise<string> {
    return (await this.accountMenu().innerText()).trim();
  }

  /** Navigation bar → `UserName@account` → an item (Billing Dashboard, Account, Security credentials, Sign out). */
  async chooseFromAccountMenu(item: 'Billing Dashboard' | 'Account' | 'Security credentials' | 'Sign out') {
    await this.accountMenu().click();
    await this.page.getByRole('menuitem', { name: item }).click();
  }

  async openSideLink(text: string) {
    const toggle = this.page.getByRole('button', { name: 'Open side navigation' });
    if (await toggle.isVisible()) await toggle.click();
    await this.page
      .getByRole('navigation', { name: 'Side navigation' })
      .getByRole('link', { name: text, exact: true })
      .click();
  }

  async goto(hashPath: string) {
    const url = new URL(this.page.url());
    url.hash = hashPath;
    await this.page.goto(url.toString());
  }

  flash(kind: 'success' | 'error'): Locator {
    return this.page.getByTestId(`flash-${kind}`).last();
  }

  async expectFlash(kind: 'success' | 'error', text: string | RegExp) {
    await expect(this.flash(kind), `a ${kind} message`).toContainText(text);
  }

  flashHeader(): Locator {
    return this.page.getByTestId('flash-error-header').last();
  }

  heading(text: string): Locator {
    return this.page.getByRole('heading', { name: text, exact: true }).first();
  }

  async screenshot(name: string) {
    const { SCREENSHOTS } = await import('../browser.js');
    await this.page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  }
}
