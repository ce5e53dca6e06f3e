/** The README's pictures of the dashboard, retaken on every run so they never fall behind the product. */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './repoRoot.ts';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'screenshots');

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Fonts loaded and nothing moving: the same state gives the same picture.
  await page.evaluate('document.fonts.ready.then(() => undefined)');
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', fullPage: false });
  return file;
}
