/**
 * What a row's buttons do: enable/disable, refresh now, remove. Each answer updates the table at once (the
 * live `account` events bring the same change, and applying it twice is harmless); a failure becomes one
 * sentence naming the account.
 */
import type { TFunction } from 'i18next';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView, RefreshFailedBody } from '../../../../shared/adminApi.ts';
import { AdminApiError } from '../../api/adminClient.ts';
import { useDashboard } from '../../state/DashboardProvider.tsx';

export type AccountAction = 'toggle' | 'refresh' | 'remove';

export interface AccountActions {
  /** The action running on each account, by id. */
  busy: Record<string, AccountAction | undefined>;
  error?: string;
  dismissError(): void;
  setDisabled(account: AccountView, disabled: boolean): Promise<void>;
  refresh(account: AccountView): Promise<void>;
  remove(account: AccountView): Promise<void>;
}

export function useAccountActions(): AccountActions {
  const { t } = useTranslation('accounts');
  const { client, dispatch } = useDashboard();
  const [busy, setBusy] = useState<Record<string, AccountAction | undefined>>({});
  const [error, setError] = useState<string>();

  const run = useCallback(
    async (account: AccountView, action: AccountAction, work: () => Promise<void>) => {
      setBusy((current) => ({ ...current, [account.id]: action }));
      setError(undefined);
      try {
        await work();
      } catch (failure) {
        setError(describeFailure(failure, account, action, t));
        const changed = (failure instanceof AdminApiError ? failure.body : undefined) as
          Partial<RefreshFailedBody> | undefined;
        if (changed?.account) dispatch({ type: 'account_changed', account: changed.account });
      } finally {
        setBusy((current) => ({ ...current, [account.id]: undefined }));
      }
    },
    [dispatch, t],
  );

  return {
    busy,
    error,
    dismissError: () => setError(undefined),
    setDisabled: (account, disabled) =>
      run(account, 'toggle', async () => {
        const changed = await client.updateAccount(account.id, { disabled });
        dispatch({ type: 'account_changed', account: changed });
      }),
    refresh: (account) =>
      run(account, 'refresh', async () => {
        const changed = await client.refreshAccount(account.id);
        dispatch({ type: 'account_changed', account: changed });
      }),
    remove: (account) =>
      run(account, 'remove', async () => {
        await client.removeAccount(account.id);
        dispatch({ type: 'account_removed', id: account.id });
      }),
  };
}

function describeFailure(
  failure: unknown,
  account: AccountView,
  action: AccountAction,
  t: TFunction<'accounts'>,
): string {
  const message = failure instanceof Error ? failure.message : String(failure);
  if (action === 'refresh') return t('errors.refreshFailed', { account: account.label, message });
  return t('errors.actionFailed', { account: account.label, message });
}
