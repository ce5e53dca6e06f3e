/**
 * The Usage page in real Chromium against the real `kiro-dock serve`, whose usage ledger is a real SQLite file:
 * requests made with the default key show up per key, a key created on the page works through the proxy and
 * spends its budget, and a key revoked there is refused at once.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardHarness, type DashboardHarness } from './dashboardHarness.ts';
import { MODEL } from './proxyTraffic.ts';
import { STEP_TIMEOUT_MS } from './launchChromium.ts';
import { saveScreenshot } from './screenshots.ts';

let harness: DashboardHarness;
let page: Page;

beforeAll(async () => {
  harness = await startDashboardHarness({
    accounts: [{ label: 'Work', credits: { limit: 1000, used: 10 } }],
  });
  page = await harness.browser.newPage();
  await page.goto(harness.kiroDock.dashboardUrl);
  await page.getByRole('navigation').getByRole('link', { name: 'Usage' }).waitFor();
}, 60_000);
afterAll(async () => {
  await harness?.close();
}, 30_000);

const ask = (key: string, prompt: string) =>
  new Anthropic({ baseURL: harness.kiroDock.url, apiKey: key, maxRetries: 0 }).messages.create({
    model: MODEL,
    max_tokens: 64,
    messages: [{ role: 'user', content: prompt }],
  });

describe('the Usage page in Chromium', () => {
  it('creates a key shown once, shows its spending per key, and revokes it', async () => {
    for (let i = 0; i < 3; i++) await harness.traffic.ask(`default ${i} [[credits:2]] [[reply:ok]]`);
    await page.getByRole('navigation').getByRole('link', { name: 'Usage', exact: true }).click();
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    const defaultRow = page.getByTestId('usage-row').filter({ hasText: 'default' });
    await expect
      .poll(() => defaultRow.innerText(), { timeout: STEP_TIMEOUT_MS })
      .toMatch(/default\s+3\s+0\s+6/);

    await page.getByLabel('Label', { exact: true }).fill('alice');
    await page.getByLabel('Credit limit (optional)').fill('1');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('created-key').locator('code');
    await shown.waitFor();
    const key = await shown.innerText();
    expect(key).toMatch(/^kd-/);

    await ask(key, 'as alice [[credits:1]] [[reply:hi alice]]');
    const refused = await ask(key, 'over budget').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);

    // The page reads the ledger once a minute; switching the grouping reads it now.
    await page.getByRole('button', { name: 'Model' }).click();
    await page.getByRole('button', { name: 'Key', exact: true }).click();
    const aliceRow = page.getByTestId('usage-row').filter({ hasText: 'alice' });
    await expect.poll(() => aliceRow.innerText(), { timeout: STEP_TIMEOUT_MS }).toMatch(/alice\s+2\s+1\s+1/);
    await page.getByTestId('chart-usage-credits').getByText('alice').waitFor();
    await saveScreenshot(page, 'usage');

    await page.getByRole('button', { name: 'Revoke alice' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('row', { name: /alice/ }).getByText('Revoked').waitFor();
    const afterRevoke = await ask(key, 'revoked').catch((error: unknown) => error);
    expect(afterRevoke).toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
