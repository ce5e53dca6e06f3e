/** The dashboard's pages, addressed by the URL fragment (`#/accounts`) so the server needs one route only. */
export const PAGES = ['overview', 'accounts', 'quotas', 'requests', 'usage', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (PAGES as readonly string[]).includes(name ?? '') ? (name as Page) : 'overview';
}
