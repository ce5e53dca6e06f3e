import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportAccountsResponse, ImportSource } from '../../../../shared/adminApi.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';
import { BatchImportDialog } from './BatchImportDialog.tsx';

const SOURCES: { source: ImportSource; labelKey: 'import.ide' | 'import.cli' }[] = [
  { source: 'ide', labelKey: 'import.ide' },
  { source: 'kiro-cli', labelKey: 'import.cli' },
];

type ImportOutcome =
  { source: ImportSource; result: ImportAccountsResponse } | { source: ImportSource; failure: string };

/**
 * Imports the Kiro IDE's login or kiro-cli's logins and says what came of it: how many were new, how many the
 * pool had already, and each login that could not be read (the server names where it looked).
 */
export function ImportPanel() {
  const { t } = useTranslation('accounts');
  const { client, reload } = useDashboard();
  const [running, setRunning] = useState<ImportSource>();
  const [outcome, setOutcome] = useState<ImportOutcome>();
  const [batch, setBatch] = useState(false);

  async function runImport(source: ImportSource) {
    setRunning(source);
    setOutcome(undefined);
    try {
      const result = await client.importAccounts(source);
      setOutcome({ source, result });
      // The answer names ids only; the rows come from the list (or the live events, whichever is first).
      if (result.imported.length > 0) await reload();
    } catch (error) {
      setOutcome({ source, failure: (error as Error).message });
    } finally {
      setRunning(undefined);
    }
  }

  return (
    <div className="import-panel">
      <div className="import-buttons">
        {SOURCES.map(({ source, labelKey }) => (
          <button
            key={source}
            type="button"
            className="secondary"
            disabled={running !== undefined}
            onClick={() => void runImport(source)}
          >
            {running === source ? t('import.running') : t(labelKey)}
          </button>
        ))}
        <button type="button" className="secondary" onClick={() => setBatch(true)}>
          {t('open', { ns: 'batchImport' })}
        </button>
      </div>
      {batch ? <BatchImportDialog onClose={() => setBatch(false)} /> : null}
      {outcome ? <ImportOutcomeView outcome={outcome} onDismiss={() => setOutcome(undefined)} /> : null}
    </div>
  );
}

function ImportOutcomeView({ outcome, onDismiss }: { outcome: ImportOutcome; onDismiss(): void }) {
  const { t } = useTranslation('accounts');
  const source = t(`import.sourceName.${outcome.source}`);
  if ('failure' in outcome) {
    return (
      <ErrorBanner onDismiss={onDismiss} dismissLabel={t('errors.dismiss')}>
        {t('errors.importFailed', { source, message: outcome.failure })}
      </ErrorBanner>
    );
  }
  const { result } = outcome;
  return (
    <div className="import-result" role="status" data-testid="import-result">
      <p>
        {t('import.result', {
          source,
          imported: result.imported.length,
          alreadyPresent: result.alreadyPresent.length,
        })}
      </p>
      {result.problems.length > 0 ? (
        <>
          <p>{t('import.problems')}</p>
          <ul>
            {result.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </>
      ) : null}
      <button type="button" className="link-button" onClick={onDismiss}>
        {t('errors.dismiss')}
      </button>
    </div>
  );
}
