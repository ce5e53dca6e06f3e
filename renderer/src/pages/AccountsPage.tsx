import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView } from '../../../shared/adminApi.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { Loading } from '../components/Loading.tsx';
import { useNow } from '../hooks/useNow.ts';
import { useDashboard } from '../state/DashboardProvider.tsx';
import { AccountsTable } from './accounts/AccountsTable.tsx';
import { AddAccountDialog } from './accounts/AddAccountDialog.tsx';
import { ImportPanel } from './accounts/ImportPanel.tsx';
import { SignInDialog } from './accounts/SignInDialog.tsx';

const SIGN_IN_ROUTE = 'accounts/sign-in';
import { StrategySelector } from './accounts/StrategySelector.tsx';
import { useAccountActions, type AccountActions } from './accounts/useAccountActions.ts';
import './accounts/accounts.css';

/** The account pool: who serves, why not, and the means to add, import, pause, refresh and remove accounts. */
export function AccountsPage() {
  const { t } = useTranslation('accounts');
  const actions = useAccountActions();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<AccountView>();
  // `true`: a new sign-in; an account: sign that one in again.
  const [signingIn, setSigningIn] = useState<AccountView | true | undefined>(() =>
    window.location.hash === `#/${SIGN_IN_ROUTE}` ? true : undefined,
  );
  // `#/accounts/sign-in` (the tray's "Add account…") opened the sign-in; the address keeps only the page.
  useEffect(() => {
    if (window.location.hash === `#/${SIGN_IN_ROUTE}`)
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/accounts`);
  }, []);
  const closeSignIn = useCallback(() => setSigningIn(undefined), []);
  const closeAdd = useCallback(() => setAdding(false), []);
  const cancelRemove = useCallback(() => setRemoving(undefined), []);

  async function confirmRemove(account: AccountView) {
    await actions.remove(account);
    setRemoving(undefined);
  }

  return (
    <>
      <div className="page-header">
        <h1>{t('title')}</h1>
        <div className="page-header-actions">
          <button type="button" className="primary" onClick={() => setSigningIn(true)}>
            {t('open', { ns: 'signIn' })}
          </button>
          <button type="button" className="secondary" onClick={() => setAdding(true)}>
            {t('actions.add')}
          </button>
        </div>
      </div>
      <ImportPanel />
      {actions.error ? (
        <ErrorBanner onDismiss={actions.dismissError} dismissLabel={t('errors.dismiss')}>
          {actions.error}
        </ErrorBanner>
      ) : null}
      <section className="card accounts-card">
        <AccountsBody actions={actions} onRemove={setRemoving} onSignInAgain={setSigningIn} />
      </section>
      <StrategySelector />
      {adding ? <AddAccountDialog onClose={closeAdd} /> : null}
      {signingIn ? (
        <SignInDialog account={signingIn === true ? undefined : signingIn} onClose={closeSignIn} />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={t('remove.title', { account: removing.label })}
          confirmLabel={t('remove.confirm')}
          danger
          busy={actions.busy[removing.id] === 'remove'}
          onConfirm={() => void confirmRemove(removing)}
          onCancel={cancelRemove}
        >
          {t('remove.body')}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** The table, or while loading and when the pool is empty a sentence saying so and what to do. */
function AccountsBody({
  actions,
  onRemove,
  onSignInAgain,
}: {
  actions: AccountActions;
  onRemove(account: AccountView): void;
  onSignInAgain(account: AccountView): void;
}) {
  const { t } = useTranslation('accounts');
  const { state } = useDashboard();
  const now = useNow();
  if (state.accounts === undefined) {
    return <Loading>{t('loading')}</Loading>;
  }
  if (state.accounts.length === 0) return <EmptyState title={t('empty.title')}>{t('empty.body')}</EmptyState>;
  return (
    <AccountsTable
      accounts={state.accounts}
      actions={actions}
      now={now}
      onRemove={onRemove}
      onSignInAgain={onSignInAgain}
    />
  );
}
