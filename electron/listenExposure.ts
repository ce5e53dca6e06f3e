/**
 * What `kiro-dock serve` requires before it listens beyond loopback. There is no well-known default client key
 * to forbid: a generated key is 192 random bits. The weak keys are the short ones a user sets by hand
 * (KIRO_DOCK_API_KEY=test), harmless on loopback and guessable from the network; so beyond loopback a key
 * must be at least as long as a generated one is random, and the warning goes to stderr whatever the log level.
 */

/** A generated key (`kd-` and 32 base64url characters) passes; `openssl rand -base64 32` does too. */
export const MIN_EXPOSED_CLIENT_KEY_LENGTH = 32;

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || bare.startsWith('127.') || bare.startsWith('::ffff:127.');
}

/** Why the proxy must not listen on `host` with this client key; undefined when it may. */
export function exposureProblem(host: string, clientKey: string): string | undefined {
  if (isLoopbackHost(host) || clientKey.length >= MIN_EXPOSED_CLIENT_KEY_LENGTH) return undefined;
  return (
    `refusing to listen on ${host}, beyond loopback, with a client key of ${clientKey.length} characters: ` +
    `anyone on the network could guess it. Set KIRO_DOCK_API_KEY to at least ${MIN_EXPOSED_CLIENT_KEY_LENGTH} ` +
    'random characters (e.g. `openssl rand -base64 32`), or unset it to use the generated key; or listen on ' +
    '127.0.0.1.'
  );
}

export function exposureWarning(host: string): string {
  return (
    `kiro-dock: warning: listening on ${host}, beyond loopback: anyone who can reach this port and has the ` +
    'client key can use your Kiro accounts. Use --host 127.0.0.1 unless you mean it.\n'
  );
}
