import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestLogEntry } from '../../../../shared/adminApi.ts';
import { TableScroll } from '../../components/TableScroll.tsx';
import { formatCredits, formatMs, formatNumber, formatTime } from '../../format.ts';
import { requestFailed } from './requestFilter.ts';

export interface RequestsTableProps {
  entries: RequestLogEntry[];
  /** Prompts are recorded: rows that carry one can be expanded to show it. */
  capturePrompts: boolean;
}

/** The live log, newest first; a row with a recorded prompt opens a detail row below it. */
export function RequestsTable({ entries, capturePrompts }: RequestsTableProps) {
  const { t } = useTranslation('requests');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const columns = capturePrompts ? 13 : 12;

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
            <th scope="col">{t('columns.time')}</th>
            <th scope="col">{t('columns.route')}</th>
            <th scope="col">{t('columns.model')}</th>
            <th scope="col">{t('columns.account')}</th>
            <th scope="col">{t('columns.status')}</th>
            <th scope="col">{t('columns.stream')}</th>
            <th scope="col">{t('columns.ttft')}</th>
            <th scope="col">{t('columns.duration')}</th>
            <th scope="col">{t('columns.tokens')}</th>
            <th scope="col">{t('columns.credits')}</th>
            <th scope="col">{t('columns.cache')}</th>
            <th scope="col">{t('columns.error')}</th>
            {capturePrompts ? <th scope="col">{t('columns.prompt')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <Fragment key={entry.id}>
              <RequestRow
                entry={entry}
                capturePrompts={capturePrompts}
                expanded={expanded.has(entry.id)}
                onToggle={() => toggle(entry.id)}
              />
              {capturePrompts && entry.prompt !== undefined && expanded.has(entry.id) ? (
                <tr className="request-prompt-row" data-testid="request-prompt">
                  <td colSpan={columns}>
                    <pre id={`prompt-${entry.id}`}>{entry.prompt}</pre>
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
  capturePrompts: boolean;
  expanded: boolean;
  onToggle(): void;
}

function RequestRow({ entry, capturePrompts, expanded, onToggle }: RequestRowProps) {
  const { t, i18n } = useTranslation('requests');
  const dash = '—';
  return (
    <tr data-testid="request-row" data-request-id={entry.id} data-failed={requestFailed(entry)}>
      <td>
        <time dateTime={new Date(entry.at).toISOString()}>{formatTime(entry.at, i18n.language)}</time>
      </td>
      <td>
        <code>{entry.route}</code>
      </td>
      <td>{entry.model ?? dash}</td>
      <td>{entry.accountLabel ?? entry.accountId ?? dash}</td>
      <td>
        <span className={`badge ${statusBadgeClass(entry)}`} data-testid="request-status">
          {entry.status}
        </span>
      </td>
      <td>{entry.stream ? t('row.streamed') : dash}</td>
      <td>{entry.ttftMs === undefined ? dash : formatMs(entry.ttftMs)}</td>
      <td>{formatMs(entry.durationMs)}</td>
      <td>
        <TokensCell entry={entry} />
      </td>
      <td data-testid="request-credits">
        {entry.credits === undefined ? dash : formatCredits(entry.credits, i18n.language)}
      </td>
      <td>{t(`cache.${entry.responseCache ?? 'none'}`)}</td>
      <td className="request-error">{entry.error ?? ''}</td>
      {capturePrompts ? (
        <td>
          {entry.prompt === undefined ? (
            <span className="muted">{t('row.noPrompt')}</span>
          ) : (
            <button
              type="button"
              className="link-button"
              aria-expanded={expanded}
              aria-controls={expanded ? `prompt-${entry.id}` : undefined}
              onClick={onToggle}
            >
              {expanded ? t('row.hidePrompt') : t('row.showPrompt')}
            </button>
          )}
        </td>
      ) : null}
    </tr>
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
