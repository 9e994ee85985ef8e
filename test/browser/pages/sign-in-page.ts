import type { Page } from 'playwright-core';

export class SignInPage {
  constructor(readonly page: Page) {}

  async open(baseUrl: string) {
    await this.page.goto(`${baseUrl}/console/#/signin`);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  }

  async signInAsRoot(email: string, password: string) {
    await this.page.getByRole('radio', { name: /Root user/ }).check();
    await this.page.getByLabel('Root user email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Done once the form is gone: a step that navigates at once would otherwise race the sign-in's answer
    // (the simulator step timed out on a loaded CI machine, landing back on the sign-in page).
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ state: 'detached' });
  }

  async chooseIamUser() {
    await this.page.getByRole('radio', { name: /IAM user/ }).check();
  }

  accountField() {
    return this.page.getByLabel('Account ID (12 digits) or account alias');
  }

  async signInAsIamUser(account: string | null, userName: string, password: string) {
    await this.chooseIamUser();
    if (account !== null) await this.accountField().fill(account);
    await this.page.getByLabel('IAM user name').fill(userName);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  errorText() {
    return this.page.getByText(/authentication information is incorrect|Too many failed sign-in attempts/);
  }

  /** Forgets the remembered account; done once the form is back at the root user (the server has answered). */
  async signInToDifferentAccount() {
    await this.page.getByText('Sign in to a different account').click();
    await this.page.getByRole('radio', { name: /Root user/, checked: true }).waitFor();
  }

  async goToSignUp() {
    await this.page.getByText('Create a new AWS account').click();
  }

  /** The first sign-in of a user whose password must be changed. */
  async changePassword(oldPassword: string, newPassword: string) {
    await this.page.getByLabel('Old password').fill(oldPassword);
    await this.page.getByLabel('New password', { exact: true }).fill(newPassword);
    await this.page.getByLabel('Retype new password').fill(newPassword);
    await this.page.getByRole('button', { name: 'Confirm password change' }).click();
  }
}
