import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestLogEntry } from '../../../../shared/adminApi.ts';
import { TableScroll } from '../../components/TableScroll.tsx';
import { formatCredits, formatMs, formatNumber, formatTime } from '../../format.ts';
import { RequestDetails } from './RequestDetails.tsx';
import { requestFailed } from './requestFilter.ts';

export interface RequestsTableProps {
  entries: RequestLogEntry[];
  /** Prompts are recorded: the details of a row that carries one show it. */
  capturePrompts: boolean;
}

/** Details first: however wide the table, the button that opens a row never scrolls out of sight. */
const COLUMNS = [
  'details',
  'time',
  'route',
  'model',
  'account',
  'status',
  'stream',
  'ttft',
  'duration',
  'tokens',
  'credits',
  'cache',
  'error',
] as const;

/** The live log, newest first; each row opens its details (attempts, Kiro model, id, prompt) below it. */
export function RequestsTable({ entries, capturePrompts }: RequestsTableProps) {
  const { t } = useTranslation('requests');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <TableScroll label={t('title')}>
      <table className="requests-table">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col">
                {t(`columns.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <Fragment key={entry.id}>
              <RequestRow entry={entry} expanded={expanded.has(entry.id)} onToggle={() => toggle(entry.id)} />
              {expanded.has(entry.id) ? (
                <tr className="request-details-row">
                  <td colSpan={COLUMNS.length}>
                    <RequestDetails entry={entry} capturePrompts={capturePrompts} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

interface RequestRowProps {
  entry: RequestLogEntry;
  expanded: boolean;
  onToggle(): void;
}

function RequestRow({ entry, expanded, onToggle }: RequestRowProps) {
  const { t, i18n } = useTranslation('requests');
  const dash = '—';
  const label = (column: (typeof COLUMNS)[number]) => t(`columns.${column}`);
  return (
    <tr data-testid="request-row" data-request-id={entry.id} data-failed={requestFailed(entry)}>
      <td className="phone-last">
        <button
          type="button"
          className="link-button"
          aria-expanded={expanded}
          aria-controls={expanded ? `request-details-${entry.id}` : undefined}
          onClick={onToggle}
        >
          {expanded ? t('row.hideDetails') : t('row.showDetails')}
        </button>
      </td>
      <td data-label={label('time')}>
        <time dateTime={new Date(entry.at).toISOString()}>{formatTime(entry.at, i18n.language)}</time>
      </td>
      <td data-label={label('route')}>
        <code>{entry.route}</code>
      </td>
      <td data-label={label('model')}>{entry.model ?? dash}</td>
      <td data-label={label('account')}>{entry.accountLabel ?? entry.accountId ?? dash}</td>
      <td data-label={label('status')}>
        <StatusCell entry={entry} />
      </td>
      <td data-label={label('stream')}>{entry.stream ? t('row.streamed') : dash}</td>
      <td data-label={label('ttft')}>{entry.ttftMs === undefined ? dash : formatMs(entry.ttftMs)}</td>
      <td data-label={label('duration')}>{formatMs(entry.durationMs)}</td>
      <td data-label={label('tokens')}>
        <TokensCell entry={entry} />
      </td>
      <td data-testid="request-credits" data-label={label('credits')}>
        {entry.credits === undefined ? dash : formatCredits(entry.credits, i18n.language)}
      </td>
      <td data-label={label('cache')}>{t(`cache.${entry.responseCache ?? 'none'}`)}</td>
      <td className="request-error" data-label={label('error')}>
        {entry.error ?? ''}
      </td>
    </tr>
  );
}

/** The status a client saw and, when Kiro failed first, how many retries it took: a rescued 500 is no plain 200. */
function StatusCell({ entry }: { entry: RequestLogEntry }) {
  const { t } = useTranslation('requests');
  const retries = entry.failedAttempts?.length ?? 0;
  return (
    <>
      <span className={`badge ${statusBadgeClass(entry)}`} data-testid="request-status">
        {entry.status}
      </span>
      {retries > 0 ? (
        <span className="badge badge-warn request-retries" data-testid="request-retries">
          {t('row.retries', { count: retries })}
        </span>
      ) : null}
    </>
  );
}

function TokensCell({ entry }: { entry: RequestLogEntry }) {
  const { t, i18n } = useTranslation('requests');
  const count = (value: number | undefined) =>
    value === undefined ? '—' : formatNumber(value, i18n.language);
  return (
    <>
      <span>{`${count(entry.inputTokens)} → ${count(entry.outputTokens)}`}</span>
      {entry.cacheReadInputTokens ? (
        <div className="muted request-cache-tokens">
          {t('row.cacheRead', { tokens: count(entry.cacheReadInputTokens) })}
        </div>
      ) : null}
      {entry.cacheCreationInputTokens ? (
        <div className="muted request-cache-tokens">
          {t('row.cacheCreated', { tokens: count(entry.cacheCreationInputTokens) })}
        </div>
      ) : null}
    </>
  );
}

/** Green for answered, amber for a client-side refusal (4xx), red for failures. */
function statusBadgeClass(entry: RequestLogEntry): string {
  if (entry.status >= 500 || (entry.status < 400 && entry.error !== undefined)) return 'badge-danger';
  if (entry.status >= 400) return 'badge-warn';
  return 'badge-ok';
}
