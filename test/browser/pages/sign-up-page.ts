import type { Page } from 'playwright-core';
import { ConsolePage } from './console-page.js';

export class SignUpPage {
  constructor(readonly page: Page) {}

  async open(baseUrl: string) {
    await this.page.goto(`${baseUrl}/console/#/signup`);
  }

  async signUp(email: string, accountName: string, password: string) {
    await this.page.getByLabel('Root user email address').fill(email);
    await this.page.getByLabel('AWS account name').fill(accountName);
    await this.page.getByLabel('Root user password', { exact: true }).fill(password);
    await this.page.getByLabel('Confirm root user password').fill(password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
  }

  /** Signs up a new account from the sign-up page and waits for its Console Home; returns the account id. */
  async createAccount(baseUrl: string, email: string, accountName: string, password: string): Promise<string> {
    await this.open(baseUrl);
    await this.signUp(email, accountName, password);
    await this.page.getByRole('heading', { name: 'Console Home' }).waitFor();
    return (await new ConsolePage(this.page).accountMenuLabel()).trim();
  }
}
