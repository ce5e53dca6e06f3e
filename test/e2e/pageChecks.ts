/**
 * What every dashboard page must pass on any screen: axe-core's WCAG 2 A/AA rules (colour contrast included)
 * with no violation, no sideways scrolling, and the current tab of the navigation in view.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

/** A phone, a small laptop or tablet in landscape, a desktop. */
export const SCREEN_WIDTHS = [390, 1024, 1440] as const;
export const COLOR_SCHEMES = ['light', 'dark'] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** A few of the failing elements, with axe's reason, so a failure names what to fix. */
  nodes: string[];
}

/** Runs axe-core in the page against WCAG 2.0/2.1 A and AA; returns the violations, each with a few nodes. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate('typeof window.axe === "object"'))) {
    // Evaluated through the DevTools protocol: the dashboard's CSP (script-src 'self') rightly refuses inline scripts.
    await page.evaluate(await axeSource);
  }
  const script = `window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }).then((result) => result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(' ') + ': ' + node.failureSummary),
  })))`;
  return (await page.evaluate(script)) as AxeViolation[];
}

/** How far the page scrolls sideways (0 when it fits the window's width). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return (await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  )) as number;
}

/** The current tab's box lies fully inside the window. */
export async function currentTabInView(page: Page): Promise<boolean> {
  const tab = page.getByRole('navigation').locator('[aria-current="page"]');
  const box = await tab.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width;
}
