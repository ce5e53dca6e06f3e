/**
 * The usage ledger under a real core: every finished request lands in SQLite with its key, model, account,
 * tokens and credits; `/admin/usage` sums it per key, model or account over time; budgets survive a restart;
 * retention deletes what is older than the setting. Time is a fake clock at a fixed date.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteUsageLedger, type UsageLedger } from '../../electron/core/index.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import type { CreatedClientKeyResponse, UsageSummary } from '../../shared/teamApi.ts';
import { createFakeClock, FAKE_CLOCK_START_MS } from '../support/fakeClock.ts';
import { adminRequest } from './adminHttp.ts';
import { CLIENT_KEY, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const open: Array<{ proxy?: ProxyHarness; ledger?: UsageLedger; dir?: string }> = [];
afterEach(async () => {
  for (const item of open.splice(0)) {
    await item.proxy?.close();
    item.ledger?.close();
    if (item.dir) await fs.rm(item.dir, { recursive: true, force: true });
  }
});

const DAY_MS = 86_400_000;

async function ledgerFile(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'usage-ledger-'));
  open.push({ dir });
  return path.join(dir, 'usage.sqlite');
}

async function proxyWith(
  file: string,
  settings = createMemorySettingsStore(),
  clock = createFakeClock(FAKE_CLOCK_START_MS + 10 * 3_600_000),
) {
  const ledger = openSqliteUsageLedger(file);
  const proxy = await startProxyHarness({ clock, settings, core: { usageLedger: ledger } });
  open.unshift({ proxy, ledger });
  return { proxy, ledger, clock, settings };
}

const ask = (url: string, key: string, content: string, model = 'claude-sonnet-4-5') =>
  postJson(
    `${url}/v1/messages`,
    { model, max_tokens: 64, messages: [{ role: 'user', content }] },
    { 'x-api-key': key },
  );

describe('usage ledger', () => {
  it('records each request and sums it per key, model and account per hour', async () => {
    const { proxy, ledger, clock } = await proxyWith(await ledgerFile());
    const bob = (
      await adminRequest(proxy.url, 'POST', '/admin/keys', { body: { label: 'bob' } })
    ).json<CreatedClientKeyResponse>();
    expect((await ask(proxy.url, bob.key, 'a [[credits:2]]')).status).toBe(200);
    expect((await ask(proxy.url, bob.key, 'b [[credits:3]]', 'claude-haiku-4-5')).status).toBe(200);
    clock.advance(3_600_000);
    expect((await ask(proxy.url, CLIENT_KEY, 'c [[credits:1]] [[usage]]')).status).toBe(200);
    expect((await ask(proxy.url, CLIENT_KEY, 'unknown model', 'gpt-nope')).status).toBe(400);

    const rows = ledger.rows({});
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      keyLabel: 'bob',
      keyId: bob.id,
      model: 'claude-sonnet-4-5',
      credits: 2,
      status: 200,
    });
    expect(rows[0]!.accountId).toEqual(expect.any(String));
    expect(rows[0]!.inputTokens).toBeGreaterThan(0);
    expect(rows[2]).toMatchObject({
      keyLabel: 'default',
      credits: 1,
      at: FAKE_CLOCK_START_MS + 11 * 3_600_000,
    });
    expect(rows[3]).toMatchObject({ status: 400, credits: 0 });

    const since = FAKE_CLOCK_START_MS;
    const byKey = (
      await adminRequest(proxy.url, 'GET', `/admin/usage?since=${since}&by=key&bucket=hour`)
    ).json<UsageSummary>();
    expect(byKey.ledger).toBe(true);
    expect(byKey.totals).toEqual([
      expect.objectContaining({ name: 'bob', requests: 2, credits: 5, errors: 0 }),
      expect.objectContaining({ name: 'default', requests: 2, credits: 1, errors: 1 }),
    ]);
    expect(byKey.points.map((point) => [point.at - since, point.name, point.credits])).toEqual([
      [10 * 3_600_000, 'bob', 5],
      [11 * 3_600_000, 'default', 1],
    ]);
    const byModel = (
      await adminRequest(proxy.url, 'GET', `/admin/usage?since=${since}&by=model&bucket=day`)
    ).json<UsageSummary>();
    expect(byModel.totals.map((total) => [total.name, total.credits])).toEqual([
      ['claude-haiku-4-5', 3],
      ['claude-sonnet-4-5', 3],
      ['gpt-nope', 0],
    ]);
    const byAccount = (
      await adminRequest(proxy.url, 'GET', `/admin/usage?since=${since}&by=account`)
    ).json<UsageSummary>();
    expect(byAccount.totals).toHaveLength(2);

    const bad = await adminRequest(proxy.url, 'GET', '/admin/usage?by=colour');
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ error: { message: expect.stringContaining('by') } });
  });

  it('keeps a key over budget after a restart, from what the ledger says it spent', async () => {
    const file = await ledgerFile();
    const settings = createMemorySettingsStore();
    const first = await proxyWith(file, settings);
    const capped = (
      await adminRequest(first.proxy.url, 'POST', '/admin/keys', {
        body: { label: 'capped', creditLimit: 2, period: 'month' },
      })
    ).json<CreatedClientKeyResponse>();
    expect((await ask(first.proxy.url, capped.key, 'x [[credits:2]]')).status).toBe(200);
    await first.proxy.close();
    first.ledger.close();
    open.splice(
      open.findIndex((item) => item.proxy === first.proxy),
      1,
    );

    const second = await proxyWith(file, settings);
    const refused = await ask(second.proxy.url, capped.key, 'y [[credits:1]]');
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({
      error: { message: expect.stringContaining('resets at 2026-02-01T00:00:00.000Z') },
    });
  });

  it('deletes rows older than usageRetentionDays', async () => {
    const settings = createMemorySettingsStore();
    settings.set('usageRetentionDays', 2);
    const { proxy, ledger, clock } = await proxyWith(await ledgerFile(), settings);
    expect((await ask(proxy.url, CLIENT_KEY, 'old')).status).toBe(200);
    clock.advance(DAY_MS);
    expect((await ask(proxy.url, CLIENT_KEY, 'newer')).status).toBe(200);
    expect(ledger.rows({})).toHaveLength(2);
    clock.advance(DAY_MS + 6 * 3_600_000);
    expect(ledger.rows({}).map((row) => row.at - FAKE_CLOCK_START_MS)).toEqual([(10 + 24) * 3_600_000]);
  });
});
