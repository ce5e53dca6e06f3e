import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestLogEntry } from '../../../shared/adminApi.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { useDashboard } from '../state/DashboardProvider.tsx';
import { RequestFilters } from './requests/RequestFilters.tsx';
import { filterRequests, isFiltering, modelsIn, NO_FILTER } from './requests/requestFilter.ts';
import { downloadText, exportFileName, requestsAsCsv, requestsAsJson } from './requests/requestExport.ts';
import { RequestsTable } from './requests/RequestsTable.tsx';
import './requests/requests.css';

/** The live log of recent API requests, filterable, with a pause so a row can be read while traffic flows. */
export function RequestsPage() {
  const { t } = useTranslation('requests');
  const { state } = useDashboard();
  const [filter, setFilter] = useState(NO_FILTER);
  // While paused the table shows the log as it was when the user paused.
  const [frozen, setFrozen] = useState<RequestLogEntry[] | undefined>();
  const shown = frozen ?? state.requests;
  const visible = useMemo(() => filterRequests(shown, filter), [shown, filter]);
  const models = useMemo(() => {
    const seen = modelsIn(shown);
    return filter.model && !seen.includes(filter.model) ? [...seen, filter.model] : seen;
  }, [shown, filter.model]);

  return (
    <>
      <div className="page-header">
        <h1>{t('title')}</h1>
        <div className="page-actions">
          <ExportButtons entries={visible} />
          <LiveToggle frozen={frozen} live={state.requests} onChange={setFrozen} />
        </div>
      </div>
      <CaptureNotice capturePrompts={state.capturePrompts} />
      <UnknownKeyNotice entries={shown} />
      <section className="card">
        <RequestFilters filter={filter} models={models} onChange={setFilter} />
        <RequestsResults
          shown={shown}
          visible={visible}
          filtering={isFiltering(filter)}
          capturePrompts={state.capturePrompts}
          onClearFilters={() => setFilter(NO_FILTER)}
        />
      </section>
    </>
  );
}

interface RequestsResultsProps {
  /** The log as shown (live, or as it was when paused). */
  shown: RequestLogEntry[];
  /** What passes the filters. */
  visible: RequestLogEntry[];
  filtering: boolean;
  capturePrompts: boolean;
  onClearFilters(): void;
}

function RequestsResults({
  shown,
  visible,
  filtering,
  capturePrompts,
  onClearFilters,
}: RequestsResultsProps) {
  const { t } = useTranslation('requests');
  if (shown.length === 0) return <NoRequestsYet />;
  if (visible.length === 0) {
    return (
      <EmptyState
        title={t('empty.noMatchTitle')}
        action={
          <button type="button" className="secondary" onClick={onClearFilters}>
            {t('filters.clear')}
          </button>
        }
      >
        {t('empty.noMatchBody', { total: shown.length })}
      </EmptyState>
    );
  }
  return (
    <>
      {filtering ? (
        <p className="muted" data-testid="requests-count">
          {t('filters.showing', { shown: visible.length, total: shown.length })}
        </p>
      ) : null}
      <RequestsTable entries={visible} capturePrompts={capturePrompts} />
    </>
  );
}

/** Downloads what the table shows (the filters applied) as CSV or JSON. */
function ExportButtons({ entries }: { entries: RequestLogEntry[] }) {
  const { t } = useTranslation('requests');
  const disabled = entries.length === 0;
  return (
    <div className="export-buttons" role="group" aria-label={t('export.label')}>
      <button
        type="button"
        className="secondary"
        disabled={disabled}
        onClick={() =>
          downloadText(requestsAsCsv(entries), exportFileName(Date.now(), 'csv'), 'text/csv;charset=utf-8')
        }
      >
        {t('export.csv')}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={disabled}
        onClick={() =>
          downloadText(requestsAsJson(entries), exportFileName(Date.now(), 'json'), 'application/json')
        }
      >
        {t('export.json')}
      </button>
    </div>
  );
}

interface LiveToggleProps {
  frozen: RequestLogEntry[] | undefined;
  live: RequestLogEntry[];
  onChange(frozen: RequestLogEntry[] | undefined): void;
}

function LiveToggle({ frozen, live, onChange }: LiveToggleProps) {
  const { t } = useTranslation('requests');
  const newCount = useMemo(() => {
    if (!frozen) return 0;
    const seen = new Set(frozen.map((entry) => entry.id));
    return live.filter((entry) => !seen.has(entry.id)).length;
  }, [frozen, live]);
  return (
    <div className="live-toggle">
      {frozen ? (
        <span className="muted" role="status">
          {t('live.paused', { newCount })}
        </span>
      ) : null}
      <button
        type="button"
        className="secondary"
        aria-pressed={frozen !== undefined}
        onClick={() => onChange(frozen ? undefined : live)}
      >
        {frozen ? t('live.resume') : t('live.pause')}
      </button>
    </div>
  );
}

/**
 * Requests the proxy refused for a missing or unknown client key (401), when the log records them: a client
 * that is silently refused otherwise looks like one that never called.
 */
function UnknownKeyNotice({ entries }: { entries: RequestLogEntry[] }) {
  const { t } = useTranslation('requests');
  const refused = entries.filter((entry) => entry.status === 401).length;
  if (refused === 0) return null;
  return (
    <p className="warning-notice" role="status" data-testid="unknown-key-notice">
      {t('unknownKey.notice', { count: refused })} <a href="#/settings">{t('unknownKey.fix')}</a>
    </p>
  );
}

function CaptureNotice({ capturePrompts }: { capturePrompts: boolean }) {
  const { t } = useTranslation('requests');
  return (
    <p className="capture-notice muted" data-testid="capture-notice" data-capture={capturePrompts}>
      {capturePrompts ? (
        t('capture.on')
      ) : (
        <>
          {t('capture.off')} <a href="#/settings">{t('capture.turnOn')}</a>
        </>
      )}
    </p>
  );
}

function NoRequestsYet() {
  const { t } = useTranslation('requests');
  const { state } = useDashboard();
  const address = state.settings?.listening ?? state.settings?.listen ?? { host: '127.0.0.1', port: 8765 };
  return (
    <EmptyState title={t('empty.title')}>
      {t('empty.body', { endpoint: `http://${address.host}:${address.port}` })}
    </EmptyState>
  );
}
