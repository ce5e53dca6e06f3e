import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientKeyView, CreatedClientKeyResponse } from '../../../../shared/teamApi.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { formatCredits } from './formatCredits.ts';
import { useDashboard } from '../../state/DashboardProvider.tsx';
import { CreateKeyForm } from './CreateKeyForm.tsx';

/** The team's client keys: their budgets as spent so far, creating one (its key shown once), revoking one. */
export function KeysPanel() {
  const { t } = useTranslation('usage');
  const { client } = useDashboard();
  const [keys, setKeys] = useState<ClientKeyView[]>();
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<CreatedClientKeyResponse>();
  const [revoking, setRevoking] = useState<ClientKeyView>();
  const reload = useCallback(
    () =>
      client.listKeys().then(
        (answer) => setKeys(answer.keys),
        (failure: Error) => setError(failure.message),
      ),
    [client],
  );
  useEffect(() => void reload(), [reload]);
  const act = (action: Promise<unknown>) =>
    action.then(
      () => {
        setError(undefined);
        return reload();
      },
      (failure: Error) => setError(failure.message),
    );
  return (
    <section className="card keys-panel" aria-labelledby="keys-title">
      <h2 id="keys-title">{t('keys.title')}</h2>
      <p className="muted">{t('keys.intro')}</p>
      {error ? <ErrorBanner>{t('keys.failed', { message: error })}</ErrorBanner> : null}
      <CreateKeyForm onCreate={(request) => act(client.createKey(request).then(setCreated))} />
      {created ? (
        <div className="created-key" role="status" data-testid="created-key">
          <p>{t('keys.created', { label: created.label })}</p>
          <code>{created.key}</code> <CopyButton text={created.key} />
        </div>
      ) : null}
      {keys && keys.length === 0 ? <p className="muted">{t('keys.none')}</p> : null}
      {keys && keys.length > 0 ? <KeysTable keys={keys} onRevoke={setRevoking} /> : null}
      {revoking ? (
        <ConfirmDialog
          title={t('keys.revokeTitle', { label: revoking.label })}
          confirmLabel={t('keys.revoke')}
          danger
          onCancel={() => setRevoking(undefined)}
          onConfirm={() => {
            const id = revoking.id;
            setRevoking(undefined);
            void act(client.revokeKey(id));
          }}
        >
          {t('keys.revokeBody')}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function KeysTable({ keys, onRevoke }: { keys: ClientKeyView[]; onRevoke(key: ClientKeyView): void }) {
  const { t, i18n } = useTranslation('usage');
  const number = (value: number) => formatCredits(value, i18n.language);
  const columns = ['label', 'key', 'budget', 'models', 'rate', 'state', 'actions'] as const;
  return (
    <TableScroll label={t('keys.title')}>
      <table className="keys-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {t(`keys.columns.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} data-testid={`key-row-${key.id}`}>
              <th scope="row">{key.label}</th>
              <td>
                <code>{key.preview}</code>
              </td>
              <td>
                {key.creditLimit === undefined
                  ? t('keys.noBudget')
                  : t('keys.budget', {
                      spent: number(key.spent),
                      limit: number(key.creditLimit),
                      period: t(`keys.periods.${key.period ?? 'month'}`),
                    })}
              </td>
              <td>{key.models?.join(', ') ?? t('keys.allModels')}</td>
              <td>
                {key.requestsPerMinute === undefined
                  ? ''
                  : t('keys.perMinute', { rate: key.requestsPerMinute })}
              </td>
              <td>{key.revokedAt === undefined ? t('keys.active') : t('keys.revoked')}</td>
              <td>
                {key.revokedAt === undefined ? (
                  <button
                    type="button"
                    className="danger"
                    aria-label={`${t('keys.revoke')} ${key.label}`}
                    onClick={() => onRevoke(key)}
                  >
                    {t('keys.revoke')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
