import { useTranslation } from 'react-i18next';
import type { FailedAttemptView, RequestLogEntry } from '../../../../shared/adminApi.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { formatNumber } from '../../format.ts';

export interface RequestDetailsProps {
  entry: RequestLogEntry;
  capturePrompts: boolean;
}

/** Everything the log knows of one request beyond its row: its id, how it reached Kiro, what it cost. */
export function RequestDetails({ entry, capturePrompts }: RequestDetailsProps) {
  const { t, i18n } = useTranslation('requests');
  const attempts = entry.attempts ?? 0;
  return (
    <div className="request-details" id={`request-details-${entry.id}`} data-testid="request-details">
      <dl>
        <dt>{t('details.id')}</dt>
        <dd className="request-details-id">
          <code data-testid="request-id">{entry.id}</code>
          <CopyButton text={entry.id} label={t('details.copyId')} />
        </dd>
        <dt>{t('details.kiroModel')}</dt>
        <dd data-testid="request-kiro-model">{entry.kiroModel ?? t('details.noKiroModel')}</dd>
        <dt>{t('details.attempts')}</dt>
        <dd data-testid="request-attempts">
          {attempts === 0 ? t('details.noAttempts') : t('details.attemptCount', { count: attempts })}
          {entry.failedAttempts?.length ? <FailedAttempts failed={entry.failedAttempts} /> : null}
        </dd>
        {entry.credits === undefined ? null : (
          <>
            <dt>{t('details.credits')}</dt>
            <dd data-testid="request-credits">{formatNumber(entry.credits, i18n.language)}</dd>
          </>
        )}
        {capturePrompts ? (
          <>
            <dt>{t('details.prompt')}</dt>
            <dd>
              {entry.prompt === undefined ? (
                <span className="muted">{t('row.noPrompt')}</span>
              ) : (
                <pre data-testid="request-prompt" tabIndex={0}>
                  {entry.prompt}
                </pre>
              )}
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

/** One line per failed attempt: on which account, how it failed; the request then moved on. */
function FailedAttempts({ failed }: { failed: FailedAttemptView[] }) {
  const { t } = useTranslation('requests');
  return (
    <ol className="request-failed-attempts" data-testid="request-failed-attempts">
      {failed.map((attempt, index) => (
        <li key={index}>
          {t('details.failedAttempt', {
            number: index + 1,
            account: attempt.accountLabel ?? attempt.accountId,
            reason: t(`failure.${attempt.kind}`, { defaultValue: attempt.kind }),
          })}
          {attempt.status === undefined ? null : (
            <span className="muted"> {t('details.httpStatus', { status: attempt.status })}</span>
          )}
        </li>
      ))}
    </ol>
  );
}
