import { useTranslation } from 'react-i18next';
import type { AccountStateView } from '../../../../shared/adminApi.ts';
import { formatMoment, formatRelative, nearness } from '../../format.ts';
import { translateCoreMessage } from '../../../../shared/coreMessages.ts';

const TONE: Record<AccountStateView['kind'], string> = {
  active: 'badge-ok',
  cooling_down: 'badge-warn',
  exhausted: 'badge-warn',
  needs_relogin: 'badge-danger',
  suspended: 'badge-danger',
  disabled: '',
};

/** The account's state, and beside it why and what to do, so the user never has to guess from a colour. */
export function StateBadge({ state, now }: { state: AccountStateView; now: number }) {
  const { t, i18n } = useTranslation('accounts');
  const language = i18n.language;
  return (
    <div className="account-state" data-testid="account-state" data-state={state.kind}>
      <span className={`badge ${TONE[state.kind]}`}>{t(`state.${state.kind}`)}</span>
      {state.kind === 'cooling_down' || state.kind === 'exhausted' ? (
        <>
          <span className="account-state-when">
            {nearness(state.until, now) === 'hour'
              ? t('state.untilSoon', { relative: formatRelative(Math.max(state.until, now), now, language) })
              : t('state.until', {
                  time: formatMoment(state.until, now, language),
                  relative: formatRelative(state.until, now, language),
                })}
          </span>
          <span className="account-state-reason">{translateCoreMessage(state.reason, language)}</span>
        </>
      ) : null}
      {state.kind === 'needs_relogin' ? (
        <>
          <span className="account-state-reason">{translateCoreMessage(state.reason, language)}</span>
          <span className="account-state-fix">{translateCoreMessage(state.howToFix, language)}</span>
        </>
      ) : null}
      {state.kind === 'suspended' ? (
        <>
          <span className="account-state-when">
            {t('state.since', { time: formatMoment(state.since, now, language) })}
          </span>
          <span className="account-state-reason">{translateCoreMessage(state.reason, language)}</span>
        </>
      ) : null}
    </div>
  );
}
