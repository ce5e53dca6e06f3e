/**
 * What `serve` says at start when no account can serve: every request would be refused, and a user who only
 * looks at the "listening" line would find out from their client's error instead.
 */
import type { Core } from './core/index.ts';

/** Kinds that do not end by themselves; cooldowns and exhausted quotas come back, and are no reason to warn. */
const STUCK = new Set(['needs_relogin', 'suspended', 'disabled']);

export function emptyPoolWarning(core: Pick<Core, 'pool'>): string | undefined {
  const accounts = core.pool.snapshot();
  if (accounts.length === 0)
    return (
      'no Kiro account is configured, so requests are refused (503) until there is one: sign in to Kiro IDE ' +
      '(picked up while serve runs), or run kiro-dock accounts add --refresh-token TOKEN (or --api-key ksk_…).'
    );
  if (!accounts.every((account) => STUCK.has(account.state.kind))) return undefined;
  const reasons = accounts.map(({ record, state }) => {
    const why = 'reason' in state ? `: ${state.reason}` : '';
    return `"${record.label}" ${state.kind.replace('_', ' ')}${why}`;
  });
  return `none of the Kiro accounts can serve, so requests are refused (503) until one can: ${reasons.join('; ')}.`;
}
