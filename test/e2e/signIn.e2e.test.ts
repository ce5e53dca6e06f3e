/**
 * Signing in to Kiro from the dashboard in real Chromium, against the real `kiro-dock serve` and the emulator's
 * AWS sign-in: the code shown in the dialog is the one the service issued, the approval adds the account that
 * then serves, a cancel stops the polling, and an account whose login died is signed in again in place.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/adminApi.ts';
import { startDashboardHarness, type DashboardHarness } from './dashboardHarness.ts';
import { STEP_TIMEOUT_MS, VIEWPORT } from './launchChromium.ts';
import { axeViolations, COLOR_SCHEMES, sidewaysOverflow } from './pageChecks.ts';

let harness: DashboardHarness;
let page: Page;

beforeAll(async () => {
  harness = await startDashboardHarness({ accounts: [], emulator: { devicePollIntervalSeconds: 1 } });
  page = await harness.browser.newPage();
  await page.goto(harness.kiroDock.dashboardUrl);
  await page.getByRole('navigation').getByRole('link', { name: 'Accounts' }).click();
}, 60_000);
afterAll(async () => {
  await harness?.close();
}, 30_000);

function eventually<T>(read: () => Promise<T>, timeout = STEP_TIMEOUT_MS) {
  return expect.poll(read, { timeout, interval: 100 });
}

const accounts = async () => (await harness.admin<{ accounts: AccountView[] }>('GET', '/accounts')).accounts;

async function openSignIn() {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  return page.getByRole('dialog', { name: 'Sign in to Kiro' });
}

describe('signing in from the dashboard', () => {
  it('shows the device code, and the approved login appears in the table and serves', async () => {
    const dialog = await openSignIn();
    await dialog.getByRole('radio', { name: 'AWS Builder ID' }).check();
    await dialog.getByRole('button', { name: 'Continue' }).click();
    const code = (await dialog.getByTestId('sign-in-code').innerText()).trim();
    const pending = harness.emulator.deviceAuthorizations().at(-1)!;
    expect(code).toBe(pending.userCode);
    expect(await dialog.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href')).toContain(
      code,
    );
    await dialog.getByText('Waiting for you to approve in the browser…').waitFor();

    harness.emulator.decideDeviceAuthorization(code, 'approved');
    await dialog.getByText('Signed in. The account is in the pool.').waitFor({ timeout: STEP_TIMEOUT_MS });
    await dialog.getByRole('button', { name: 'Close' }).click();
    const [account] = await accounts();
    expect(account).toMatchObject({ label: 'AWS Builder ID', authMethod: 'idc' });
    await page.getByTestId(`account-row-${account!.id}`).waitFor();

    const from = harness.emulator.requests.length;
    expect(await harness.traffic.ask('[[reply:signed in]]')).toBe('signed in');
    expect(harness.servedBy(from)).toEqual([harness.emulator.deviceAuthorizations().at(-1)!.accountId]);
  });

  it('cancels a waiting sign-in: the polling stops and nothing is added', async () => {
    const dialog = await openSignIn();
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByTestId('sign-in-code').waitFor();
    await dialog.getByRole('button', { name: 'Cancel sign-in' }).click();
    await dialog.getByText('Sign-in cancelled.').waitFor();
    const cancelled = harness.emulator.deviceAuthorizations().at(-1)!;
    const polls = cancelled.polls;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(harness.emulator.deviceAuthorizations().at(-1)!.polls).toBe(polls);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await accounts()).toHaveLength(1);
  });

  it('offers "Sign in again" for a dead login and keeps the account id and label', async () => {
    const [account] = await accounts();
    for (const token of harness.emulator.issuedTokens()) harness.emulator.revokeRefreshToken(token);
    harness.emulator.expireAccessTokens();
    const row = page.getByTestId(`account-row-${account!.id}`);
    await row.getByRole('button', { name: 'Refresh now' }).click();
    await eventually(() => row.getByTestId('account-state').getAttribute('data-state')).toBe('needs_relogin');

    await row.getByRole('button', { name: 'Sign in again' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in again: AWS Builder ID' });
    const code = (await dialog.getByTestId('sign-in-code').innerText()).trim();
    harness.emulator.decideDeviceAuthorization(code, 'approved');
    await dialog
      .getByText('Signed in again. The account keeps its history.')
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await eventually(() => row.getByTestId('account-state').getAttribute('data-state')).toBe('active');
    const after = await accounts();
    expect(after.map(({ id, label }) => ({ id, label }))).toEqual([
      { id: account!.id, label: 'AWS Builder ID' },
    ]);
  });

  it('opens the sign-in at once on #/accounts/sign-in (the tray\'s "Add account…")', async () => {
    // A fresh load on that route, as the tray's window does.
    await page.goto(`${harness.kiroDock.url}/dashboard/#/accounts/sign-in`);
    await page.reload();
    const dialog = page.getByRole('dialog', { name: 'Sign in to Kiro' });
    await dialog.getByRole('button', { name: 'Continue' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/accounts');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('shows the chat host, region and profile the account uses', async () => {
    const [account] = await accounts();
    await eventually(async () => (await accounts())[0]?.chatHost?.host).toBe('q.us-east-1.amazonaws.com');
    await page.reload();
    const row = page.getByTestId(`account-row-${account!.id}`);
    await row.getByText('Chat host q.us-east-1.amazonaws.com').waitFor();
  });

  it('imports many pasted refresh tokens with a result per token', async () => {
    const logins = [harness.emulator.createSocialAccount(), harness.emulator.createSocialAccount()];
    const before = (await accounts()).length;
    await page.getByRole('button', { name: 'Import many…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import many logins' });
    const text = [
      logins[0]!.refreshToken,
      logins[1]!.refreshToken,
      logins[0]!.refreshToken,
      'aorTooShort...',
    ].join('\n');
    await dialog.getByLabel('Refresh tokens or export file').fill(text);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText('2 added, 1 duplicates, 1 failed.').waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await dialog.getByTestId('batch-item-3').getAttribute('data-status')).toBe('duplicate');
    expect(await dialog.getByTestId('batch-item-4').innerText()).toMatch(/Failed/);
    expect(await dialog.innerText()).not.toContain(logins[0]!.refreshToken);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await accounts()).toHaveLength(before + 2);
  });

  it('passes WCAG 2 A/AA at each step of the dialogs, light and dark, on a phone and a desktop', async () => {
    const problems: string[] = [];
    const check = async (step: string) => {
      for (const scheme of COLOR_SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const width of [390, VIEWPORT.width]) {
          await page.setViewportSize({ width, height: 844 });
          const where = `${step}, ${scheme}, ${width}px`;
          if ((await sidewaysOverflow(page)) > 0) problems.push(`${where}: scrolls sideways`);
          for (const violation of await axeViolations(page))
            problems.push(`${where}: ${violation.id} (${violation.help}) ${violation.nodes.join(' | ')}`);
        }
      }
    };
    try {
      let dialog = await openSignIn();
      await dialog.getByRole('radio', { name: 'AWS Builder ID' }).check();
      await check('sign-in: choosing the login');
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await dialog.getByText('Waiting for you to approve in the browser…').waitFor();
      await check('sign-in: waiting with the device code');
      await dialog.getByRole('button', { name: 'Cancel sign-in' }).click();
      await dialog.getByText('Sign-in cancelled.').waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();

      await page.getByRole('button', { name: 'Import many…' }).click();
      dialog = page.getByRole('dialog', { name: 'Import many logins' });
      await dialog.getByLabel('Refresh tokens or export file').fill('aorTooShort...');
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await dialog.getByText('0 added, 0 duplicates, 1 failed.').waitFor({ timeout: STEP_TIMEOUT_MS });
      await check('import many: results');
      await dialog.getByRole('button', { name: 'Close' }).click();
    } finally {
      await page.setViewportSize(VIEWPORT);
      await page.emulateMedia({ colorScheme: 'light' });
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('shows the dialog in Chinese', async () => {
    await page.evaluate("localStorage.setItem('kiro-dock.language', 'zh')");
    await page.reload();
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '登录 Kiro' });
    await dialog.getByRole('radio', { name: 'AWS Builder ID' }).waitFor();
    await dialog.getByRole('button', { name: '关闭' }).click();
    await page.evaluate("localStorage.setItem('kiro-dock.language', 'en')");
  });
});
