import type { Page } from 'playwright-core';

/** Opens `url#/<route>` and signs in through the app's own form. */
export async function signInAs(page: Page, url: string, role: string, route: string): Promise<void> {
  await page.goto(`${url}/#/${route}`);
  await page.getByTestId('login-name').fill(role);
  await page.getByTestId('login-password').fill(`${role}-password`);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('account').filter({ hasText: role }).waitFor();
}
