import type { Page } from 'playwright-core';

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
}
