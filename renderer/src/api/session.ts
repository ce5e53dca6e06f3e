/**
 * The dashboard's sign-in. `kiro-dock serve` (or the tray) opens `/dashboard/#login=CODE`; the one-time code is
 * exchanged for a session token, and the fragment is wiped from the address bar and history at once so the code
 * is neither reused nor bookmarked. The token is kept in localStorage: it dies with the proxy's run anyway, and a
 * second tab need not sign in again.
 */
const TOKEN_KEY = 'kiro-dock.session';
const LOGIN_PARAM = 'login';

export function storedSessionToken(storage: Storage = localStorage): string | undefined {
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

export function storeSessionToken(token: string | undefined, storage: Storage = localStorage): void {
  if (token) storage.setItem(TOKEN_KEY, token);
  else storage.removeItem(TOKEN_KEY);
}

/** The login code in the page's fragment, removed from the address bar; undefined when there is none. */
export function takeLoginCode(
  location: Location = window.location,
  history: History = window.history,
): string | undefined {
  const fragment = new URLSearchParams(location.hash.replace(/^#\/?/, ''));
  const code = fragment.get(LOGIN_PARAM);
  if (!code) return undefined;
  // `next` (the tray's "Add account…") names the page to land on; anything but a plain route lands on the overview.
  const next = fragment.get('next');
  const route = next && /^[a-z]+(\/[a-z-]+)?$/.test(next) ? next : 'overview';
  history.replaceState(null, '', `${location.pathname}${location.search}#/${route}`);
  return code;
}
