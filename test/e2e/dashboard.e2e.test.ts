/**
 * The dashboard in real Chromium against the real `kiro-dock serve` and the Kiro emulator with three accounts:
 * signing in with the printed link, the accounts and their quotas, moving traffic off a disabled account, turning
 * the response cache on, the overview's figures after a burst of requests, an account that needs a new login, Chinese, dark mode — and the
 * README's screenshots of every page.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView, SettingsView } from '../../shared/adminApi.ts';
import {
  E2E_CLIENT_KEY,
  startDashboardHarness,
  type DashboardHarness,
  type E2eAccount,
} from './dashboardHarness.ts';
import { freshContext, STEP_TIMEOUT_MS, VIEWPORT } from './launchChromium.ts';
import {
  axeViolations,
  COLOR_SCHEMES,
  currentTabInView,
  SCREEN_WIDTHS,
  sidewaysOverflow,
} from './pageChecks.ts';
import { saveScreenshot } from './screenshots.ts';

const run = promisify(execFile);

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
    // The tab's icon, and what a browser asks for on its own: never a 401.
    const icon = await page.request.get(`${harness.kiroDock.url}/favicon.ico`);
    expect([icon.status(), icon.headers()['content-type']]).toEqual([200, 'image/svg+xml']);
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
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).waitFor();
  });

  it('lists the three accounts with their state and the quota Kiro reports', async () => {
    await openPage('Accounts');
    for (const account of harness.accounts) {
      const row = page.getByTestId(`account-row-${account.id}`);
      await row.getByText(account.label, { exact: true }).waitFor();
      await eventually(() => row.getByTestId('account-state').getAttribute('data-state')).toBe('active');
      const quota = row.getByRole('progressbar');
      await eventually(() => quota.getAttribute('aria-valuemax')).toBe(String(account.credits.limit));
      expect(await quota.getAttribute('aria-valuenow')).toBe(String(account.credits.used));
    }
  });

  it('moves traffic away from an account disabled in the table', async () => {
    // The radio shows the pool's strategy: it turns on once the proxy has taken the change.
    const roundRobin = page.getByRole('radio', { name: /Round robin/ });
    await roundRobin.click();
    await eventually(() => roundRobin.isChecked()).toBe(true);
    await eventually(
      async () => (await harness.admin<{ strategy: string }>('GET', '/accounts')).strategy,
    ).toBe('round-robin');
    const [work, personal, spare] = harness.accounts as [E2eAccount, E2eAccount, E2eAccount];
    let from = harness.emulator.requests.length;
    await harness.traffic.burst(uniquePrompts('before', 6), 1);
    expect(new Set(harness.servedBy(from))).toEqual(
      new Set([work.emulatorId, personal.emulatorId, spare.emulatorId]),
    );

    const row = page.getByTestId(`account-row-${personal.id}`);
    await row.getByRole('button', { name: 'Disable' }).click();
    await eventually(() => row.getByTestId('account-state').getAttribute('data-state')).toBe('disabled');
    from = harness.emulator.requests.length;
    await harness.traffic.burst(uniquePrompts('after', 6), 1);
    const served = harness.servedBy(from);
    expect(served).toHaveLength(6);
    expect(served).not.toContain(personal.emulatorId);
    expect(new Set(served)).toEqual(new Set([work.emulatorId, spare.emulatorId]));

    await row.getByRole('button', { name: 'Enable' }).click();
    await eventually(() => row.getByTestId('account-state').getAttribute('data-state')).toBe('active');
  });

  it('shows an account whose login Kiro no longer accepts as needing a new login, with the reason', async () => {
    const work = harness.accounts[0]!;
    harness.emulator.revokeRefreshToken(work.refreshToken);
    harness.emulator.expireAccessTokens();
    const row = page.getByTestId(`account-row-${work.id}`);
    await row.getByRole('button', { name: 'Refresh now' }).click();
    const state = row.getByTestId('account-state');
    await eventually(() => state.getAttribute('data-state')).toBe('needs_relogin');
    const shown = await state.innerText();
    const view = (await harness.admin<{ accounts: AccountView[] }>('GET', '/accounts')).accounts.find(
      (account) => account.id === work.id,
    );
    expect(view?.state.kind).toBe('needs_relogin');
    if (view?.state.kind !== 'needs_relogin') return;
    expect(shown).toContain(view.state.reason);
    expect(shown).toContain(view.state.howToFix);
    await saveScreenshot(page, 'accounts');
  });

  it('turns the response cache on in Settings, where serve starts with it off', async () => {
    await openPage('Settings');
    // serve was started with --port 0: the form shows the saved 8765, and says the flag chose the port in use.
    const effective = page.getByRole('region', { name: 'Listen address' }).getByTestId('listen-effective');
    expect(await effective.innerText()).toBe(
      `Listening now on ${harness.kiroDock.url}. The port comes from the --port flag, which wins over the saved setting.`,
    );
    const cache = page.getByRole('region', { name: 'Response cache' });
    const enabled = cache.getByRole('checkbox', { name: 'Cache identical responses' });
    expect(await enabled.isChecked()).toBe(false);
    expect(
      await cache.getByRole('checkbox', { name: 'Also cache requests with tools or sampling' }).isChecked(),
    ).toBe(false);
    await enabled.click();
    await eventually(() => enabled.isChecked()).toBe(true);
    await eventually(
      async () => (await harness.admin<SettingsView>('GET', '/settings')).responseCache.enabled,
    ).toBe(true);
  });

  it('shows a burst of requests on the latency graph and in the cache hit rate', async () => {
    await openPage('Overview');
    // Second by second, so the burst's requests show as samples of their own rather than join a minute's.
    const zoom = page.getByRole('button', { name: 'Last 2 minutes, per second' });
    await zoom.click();
    const latency = page.getByTestId('chart-latency');
    const hitRate = page.getByTestId('stat-response-cache-hit-rate');
    const samplesBefore = Number(await latency.getAttribute('data-samples'));
    const hitRateBefore = await hitRate.innerText();

    const repeated = `the same question ${Date.now()} [[reply:same answer]]`;
    // At temperature 0: without tools, what the cache answers unless sampled requests are included.
    await harness.traffic.burst(
      [...uniquePrompts('burst', 8), ...Array.from({ length: 8 }, () => repeated)],
      1,
      { temperature: 0 },
    );
    // The overview is pushed every 5 s: the new figures arrive with the next push.
    await eventually(async () => Number(await latency.getAttribute('data-samples')), 15_000).toBeGreaterThan(
      samplesBefore,
    );
    await eventually(() => hitRate.innerText(), 15_000).not.toBe(hitRateBefore);
    expect(await hitRate.innerText()).toMatch(/\d+(\.\d)?\s?%/);
    expect(Number(await page.getByTestId('chart-ttft').getAttribute('data-samples'))).toBeGreaterThan(0);
    // Back to the minutes: the lines of the whole 15 minutes, and the burst in the usage per model.
    await zoom.click();
    await eventually(() => latency.getAttribute('data-points')).toBe('16');
    expect(Number(await latency.getAttribute('data-samples'))).toBeGreaterThan(0);
    await page.getByTestId('model-usage').getByTestId('model-usage-row').first().waitFor();
    await saveScreenshot(page, 'overview');
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // The same figures in Chinese: labels, numbers and the charts' time axes (24-hour clock).
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByText('最近 15 分钟，按分钟统计。').waitFor();
    await saveScreenshot(page, 'overview-zh');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).waitFor();
  });

  it('shows the quota of every account on the quotas page', async () => {
    await openPage('Quotas');
    for (const account of harness.accounts) {
      await page.getByTestId(`quota-card-${account.id}`).getByText(account.label).waitFor();
    }
    await saveScreenshot(page, 'quotas');
  });

  it('lists the finished requests live, prompts left out', async () => {
    await openPage('Requests');
    const rows = page.getByTestId('request-row');
    await eventually(() => rows.count()).toBeGreaterThanOrEqual(16);
    expect(await page.locator('main').innerText()).not.toContain('the same question');
    await harness.traffic.ask(`one more ${Date.now()} [[reply:ok]]`);
    const before = await rows.count();
    await eventually(() => rows.count()).toBeGreaterThan(before);
    await saveScreenshot(page, 'requests');
  });

  it('opens the details of a request and exports the log as CSV and JSON', async () => {
    await openPage('Requests');
    const row = page.getByTestId('request-row').first();
    const id = await row.getAttribute('data-request-id');
    await row.getByRole('button', { name: 'Details' }).click();
    const details = page.getByTestId('request-details');
    expect(await details.getByTestId('request-id').innerText()).toBe(id);
    expect(await details.getByTestId('request-kiro-model').innerText()).toMatch(/^claude-/);
    expect(await details.getByTestId('request-attempts').innerText()).toBe('1 call');
    await row.getByRole('button', { name: 'Hide details' }).click();

    const shown = await page.getByTestId('request-row').count();
    const csv = await downloaded(() => page.getByRole('button', { name: 'Export CSV' }).click());
    expect(csv.name).toMatch(/^kiro-dock-requests-.*\.csv$/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,at,route,model,kiroModel,/);
    expect(lines).toHaveLength(shown + 1);
    expect(lines[1]).toContain(id);
    const json = await downloaded(() => page.getByRole('button', { name: 'Export JSON' }).click());
    const exported = JSON.parse(json.text) as Array<{ id: string }>;
    expect(exported).toHaveLength(shown);
    expect(exported[0]!.id).toBe(id);
  });

  it('fits every page at phone, laptop and desktop widths in both themes, with no axe violation', async () => {
    const problems: string[] = [];
    try {
      for (const scheme of COLOR_SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const width of SCREEN_WIDTHS) {
          await page.setViewportSize({ width, height: 844 });
          for (const name of PAGE_NAMES) {
            await openPage(name);
            await page.locator('main h1').first().waitFor();
            const where = `${name} at ${width} px, ${scheme}`;
            const overflow = await sidewaysOverflow(page);
            if (overflow > 0) problems.push(`${where}: scrolls ${overflow} px sideways`);
            if (!(await currentTabInView(page))) problems.push(`${where}: the current tab is out of view`);
            for (const violation of await axeViolations(page)) {
              problems.push(`${where}: ${violation.id} (${violation.help}) ${violation.nodes.join(' | ')}`);
            }
          }
        }
      }
    } finally {
      await page.setViewportSize(VIEWPORT);
      await page.emulateMedia({ colorScheme: 'light' });
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('shows each request as a card on a phone', async () => {
    await openPage('Requests');
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const row = page.getByTestId('request-row').first();
      const box = await row.boundingBox();
      expect(box?.width).toBeLessThanOrEqual(390);
      // Every field of the row is on the screen, each with its name beside it.
      const status = row.getByTestId('request-status');
      const statusBox = await status.boundingBox();
      expect(statusBox!.x + statusBox!.width).toBeLessThanOrEqual(390);
      // A string, so it runs in the page (the tests' own tsconfig has no DOM library).
      const named = await page.evaluate(
        `getComputedStyle(document.querySelector('[data-testid="request-status"]').closest('td'), '::before').content`,
      );
      expect(named).toBe('"Status"');
      await saveScreenshot(page, 'requests-phone');
      // The accounts table the same way: each account a card with its state and its actions on the screen.
      await openPage('Accounts');
      const account = page.getByTestId(`account-row-${harness.accounts[1]!.id}`);
      const card = await account.boundingBox();
      expect(card!.x + card!.width).toBeLessThanOrEqual(390);
      const remove = await account.getByRole('button', { name: 'Remove' }).boundingBox();
      expect(remove!.x + remove!.width).toBeLessThanOrEqual(390);
      await account.scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'accounts-phone');
    } finally {
      await page.setViewportSize(VIEWPORT);
    }
  });

  it("writes Claude Code's settings on request, keeping the user's own and a backup", async () => {
    const file = path.join(harness.claudeConfigDir, 'settings.json');
    await fs.writeFile(file, JSON.stringify({ theme: 'dark', env: { KEEP_ME: '1' } }));
    await openPage('Settings');
    await page.getByRole('button', { name: 'Write Claude Code settings' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Write settings' }).click();
    await eventually(async () => JSON.parse(await fs.readFile(file, 'utf8')) as unknown).toEqual({
      theme: 'dark',
      env: { KEEP_ME: '1', ANTHROPIC_BASE_URL: harness.kiroDock.url, ANTHROPIC_AUTH_TOKEN: E2E_CLIENT_KEY },
    });
    const backups = (await fs.readdir(harness.claudeConfigDir)).filter((name) => name !== 'settings.json');
    expect(backups).toHaveLength(1);
    expect(JSON.parse(await fs.readFile(path.join(harness.claudeConfigDir, backups[0]!), 'utf8'))).toEqual({
      theme: 'dark',
      env: { KEEP_ME: '1' },
    });
    await page.getByText(backups[0]!, { exact: false }).first().waitFor();
    await saveScreenshot(page, 'settings');

    // The real Claude Code, with nothing but that file to tell it where to go.
    const { stdout } = await run(
      path.resolve('node_modules/.bin/claude'),
      ['-p', 'hello [[reply:configured by the dashboard]]', '--output-format', 'json'],
      {
        cwd: harness.claudeConfigDir,
        timeout: 90_000,
        env: {
          PATH: '/usr/bin:/bin',
          HOME: harness.claudeConfigDir,
          CLAUDE_CONFIG_DIR: harness.claudeConfigDir,
          TERM: 'dumb',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_TELEMETRY: '1',
          DISABLE_AUTOUPDATER: '1',
        },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ is_error: false, result: 'configured by the dashboard' });
  });
});

/** Prompts no earlier request used, so the response cache never answers them. */
function uniquePrompts(tag: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${tag} ${i} ${Date.now()} [[reply:ok]]`);
}

const PAGE_NAMES = ['Overview', 'Accounts', 'Quotas', 'Requests', 'Usage', 'Settings'] as const;

/** What a click made the browser download: the suggested file name and the text. */
async function downloaded(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await fs.readFile(file, 'utf8') };
}

async function openPage(name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await page.waitForFunction(`window.location.hash === ${JSON.stringify(`#/${name.toLowerCase()}`)}`);
}
