/**
 * Debian's Chromium driven by playwright-core (no browser download): a fresh profile per launch, a fixed
 * viewport so screenshots compare run to run, and bounded waits everywhere. The icon renderer
 * (resources/render-icons.ts) launches it with the same options.
 */
import fs from 'node:fs';
import { chromium, type BrowserContext, type LaunchOptions } from 'playwright-core';
import { withoutFakedTime } from '../support/childEnv.ts';

export const CHROMIUM_PATH = process.env['KIRO_DOCK_CHROMIUM'] ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };
/** No single browser step may wait longer than this. */
export const STEP_TIMEOUT_MS = 10_000;

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Debian Chromium with nothing running in the background; fails early, saying how to get one. */
export function headlessChromium(): LaunchOptions {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install it with apt-get install chromium (.ci/run does), ` +
        'or point KIRO_DOCK_CHROMIUM at another Chromium.',
    );
  }
  return { executablePath: CHROMIUM_PATH, headless: true, args: ARGS, env: withoutFakedTime(process.env) };
}

export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profileDir, {
    ...headlessChromium(),
    viewport: VIEWPORT,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    timeout: STEP_TIMEOUT_MS * 2,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  await followTestsClock(context);
  return context;
}

/** Under libfaketime the pages' clock starts at the tests' faked wall clock, and then runs on. */
async function followTestsClock(context: BrowserContext): Promise<void> {
  if (process.env['FAKETIME']) await context.clock.install({ time: Date.now() });
}

/** A context sharing nothing with the others (no stored session): a second person or a private window. */
export async function freshContext(context: BrowserContext): Promise<BrowserContext> {
  const browser = context.browser();
  if (!browser) throw new Error('The persistent Chromium context has no browser to open a fresh context in.');
  const fresh = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  fresh.setDefaultTimeout(STEP_TIMEOUT_MS);
  await followTestsClock(fresh);
  return fresh;
}
