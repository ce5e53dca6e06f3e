import { useTranslation } from 'react-i18next';
import type { AccountView } from '../../../../shared/adminApi.ts';
import { TableScroll } from '../../components/TableScroll.tsx';
import { formatAgo, formatRelative } from '../../format.ts';
import { translateCoreMessage } from '../../../../shared/coreMessages.ts';
import { QuotaBar } from './QuotaBar.tsx';
import { StateBadge } from './StateBadge.tsx';
import type { AccountActions } from './useAccountActions.ts';

export interface AccountsTableProps {
  accounts: AccountView[];
  actions: AccountActions;
  now: number;
  /** Removal asks first, so the table only says which account the user wants gone. */
  onRemove(account: AccountView): void;
  /** An account signed in from Kiro Dock whose login ended: run the same sign-in again. */
  onSignInAgain?(account: AccountView): void;
}

const COLUMNS = [
  'account',
  'source',
  'auth',
  'state',
  'expires',
  'quota',
  'inFlight',
  'lastError',
  'actions',
] as const;

/** The pool, one row per account, in the order the proxy lists them. */
export function AccountsTable({ accounts, actions, now, onRemove, onSignInAgain }: AccountsTableProps) {
  const { t } = useTranslation('accounts');
  return (
    <TableScroll label={t('title')}>
      <table className="accounts-table">
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
          {accounts.map((account) => (
            <AccountRow
              key={account.id}
              account={account}
              actions={actions}
              now={now}
              onRemove={onRemove}
              onSignInAgain={onSignInAgain}
            />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function AccountRow({
  account,
  actions,
  now,
  onRemove,
  onSignInAgain,
}: Omit<AccountsTableProps, 'accounts'> & { account: AccountView }) {
  const { t } = useTranslation('accounts');
  return (
    <tr data-testid={`account-row-${account.id}`} data-disabled={account.disabled}>
      <th scope="row">
        <div className="account-name">
          <span>{account.label}</span>
          {account.email && account.email !== account.label ? (
            <span className="muted">{account.email}</span>
          ) : null}
          {account.apiKeyPreview ? <code className="muted">{account.apiKeyPreview}</code> : null}
        </div>
      </th>
      <td data-label={t('columns.source')}>{t(`source.${account.source}`)}</td>
      <td data-label={t('columns.auth')}>
        {t(`auth.${account.authMethod}`)}
        {account.provider ? <span className="muted"> · {account.provider}</span> : null}
        <AccountHost account={account} />
      </td>
      <td data-label={t('columns.state')}>
        <StateBadge state={account.state} now={now} />
      </td>
      <td data-label={t('columns.expires')}>
        <TokenExpiry account={account} now={now} />
      </td>
      <td data-label={t('columns.quota')}>
        <QuotaBar quota={account.quota} accountLabel={account.label} />
      </td>
      <td className="numeric" data-label={t('columns.inFlight')}>
        {account.inFlight}
      </td>
      <td data-label={t('columns.lastError')}>
        <LastError account={account} now={now} />
      </td>
      <td className="row-actions-cell">
        <RowActions account={account} actions={actions} onRemove={onRemove} onSignInAgain={onSignInAgain} />
      </td>
    </tr>
  );
}

function TokenExpiry({ account, now }: { account: AccountView; now: number }) {
  const { t, i18n } = useTranslation('accounts');
  if (account.tokenExpiresAt === undefined) {
    return (
      <span className="muted">
        {t(account.authMethod === 'api_key' ? 'expires.never' : 'expires.unknown')}
      </span>
    );
  }
  const relative = formatRelative(account.tokenExpiresAt, now, i18n.language);
  const expired = account.tokenExpiresAt <= now;
  return (
    <span className={expired ? 'token-expired' : undefined} data-testid="token-expires">
      {t(expired ? 'expires.expired' : 'expires.in', { relative })}
    </span>
  );
}

function LastError({ account, now }: { account: AccountView; now: number }) {
  const { t, i18n } = useTranslation('accounts');
  if (!account.lastError) return <span className="muted">{t('lastError.none')}</span>;
  return (
    <div className="last-error">
      <span>{translateCoreMessage(account.lastError.message, i18n.language)}</span>
      <span className="muted">
        {t('lastError.at', { relative: formatAgo(account.lastError.at, now, i18n.language) })}
      </span>
    </div>
  );
}

function RowActions({
  account,
  actions,
  onRemove,
  onSignInAgain,
}: {
  account: AccountView;
  actions: AccountActions;
  onRemove(account: AccountView): void;
  onSignInAgain?(account: AccountView): void;
}) {
  const { t } = useTranslation('accounts');
  const running = actions.busy[account.id];
  const canSignInAgain = onSignInAgain && account.signIn && account.state.kind === 'needs_relogin';
  return (
    <div className="row-actions">
      {canSignInAgain ? (
        <button type="button" className="primary" onClick={() => onSignInAgain(account)}>
          {t('again', { ns: 'signIn' })}
        </button>
      ) : null}
      <button
        type="button"
        className="secondary"
        disabled={running !== undefined}
        onClick={() => void actions.setDisabled(account, !account.disabled)}
      >
        {account.disabled ? t('actions.enable') : t('actions.disable')}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={running !== undefined}
        onClick={() => void actions.refresh(account)}
      >
        {running === 'refresh' ? t('actions.refreshing') : t('actions.refresh')}
      </button>
      <button
        type="button"
        className="secondary danger-text"
        disabled={running !== undefined}
        onClick={() => onRemove(account)}
      >
        {t('actions.remove')}
      </button>
    </div>
  );
}

/** Where the account's requests go: the chat host a probe found, the region, and the Kiro profile. */
function AccountHost({ account }: { account: AccountView }) {
  const { t } = useTranslation('signIn');
  const profile = account.profileArn?.split('/').pop();
  return (
    <span className="account-host muted">
      {account.chatHost
        ? t('host', { host: account.chatHost.host })
        : t('inRegion', { region: account.region })}
      {profile ? <span title={account.profileArn}> · {t('profile', { profile })}</span> : null}
    </span>
  );
}
