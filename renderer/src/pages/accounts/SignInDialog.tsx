import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView } from '../../../../shared/adminApi.ts';
import type { SignInSessionView, StartSignInRequest } from '../../../../shared/signInApi.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { ModalFrame } from '../../components/ModalFrame.tsx';
import { formatTime } from '../../format.ts';
import { useSignInSession } from './useSignInSession.ts';

const CHOICES = ['builder-id', 'idc', 'google', 'github'] as const;
type Choice = (typeof CHOICES)[number];

/**
 * Sign in to Kiro from the dashboard: choose how, then follow the sign-in live (the device code in large type
 * with a copy button, or the page to open and the address to paste back), with a cancel. With `account` it
 * signs that account in again, the way it signed in before, keeping its id, label and history.
 */
export function SignInDialog({ account, onClose }: { account?: AccountView; onClose(): void }) {
  const { t } = useTranslation('signIn');
  const flow = useSignInSession();
  const { session } = flow;
  const accountId = account?.id;
  const start = flow.start;
  useEffect(() => {
    if (accountId) void start({ accountId });
  }, [accountId, start]);

  return (
    <ModalFrame titleId="sign-in-title" onClose={onClose}>
      <div className="sign-in">
        <h2 id="sign-in-title">{account ? t('againTitle', { account: account.label }) : t('title')}</h2>
        {session ? (
          <SignInProgress session={session} onComplete={flow.complete} />
        ) : account ? (
          <p role="status">{t('starting')}</p>
        ) : (
          <MethodForm busy={flow.starting} onStart={flow.start} />
        )}
        {flow.error ? <ErrorBanner>{flow.error}</ErrorBanner> : null}
        <div className="modal-actions">
          {session?.state === 'waiting' ? (
            <button type="button" className="secondary" onClick={() => void flow.cancel()}>
              {t('cancel')}
            </button>
          ) : (
            <button
              type="button"
              className={session?.state === 'succeeded' ? 'primary' : 'secondary'}
              onClick={onClose}
            >
              {t('close')}
            </button>
          )}
        </div>
      </div>
    </ModalFrame>
  );
}

function MethodForm({
  busy,
  onStart,
}: {
  busy: boolean;
  onStart(request: StartSignInRequest): Promise<void>;
}) {
  const { t } = useTranslation('signIn');
  const [choice, setChoice] = useState<Choice>('builder-id');
  const [startUrl, setStartUrl] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [label, setLabel] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const named = label.trim() ? { label: label.trim() } : {};
    if (choice === 'idc')
      void onStart({ method: 'idc', startUrl: startUrl.trim(), region: region.trim(), ...named });
    else if (choice === 'builder-id') void onStart({ method: 'builder-id', ...named });
    else void onStart({ method: 'social', provider: choice, ...named });
  }

  return (
    <form className="sign-in-form" onSubmit={submit} noValidate>
      <fieldset className="add-account-kinds">
        <legend>{t('method')}</legend>
        {CHOICES.map((option) => (
          <label key={option} className="inline-choice">
            <input
              type="radio"
              name="sign-in-method"
              value={option}
              checked={choice === option}
              onChange={() => setChoice(option)}
            />
            <span>{t(`methods.${option}`)}</span>
          </label>
        ))}
      </fieldset>
      {choice === 'idc' ? (
        <>
          <div className="field">
            <label htmlFor="sign-in-start-url">{t('startUrl')}</label>
            <input
              id="sign-in-start-url"
              type="url"
              placeholder={t('startUrlHint')}
              spellCheck={false}
              value={startUrl}
              onChange={(event) => setStartUrl(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="sign-in-region">{t('region')}</label>
            <input
              id="sign-in-region"
              spellCheck={false}
              value={region}
              onChange={(event) => setRegion(event.target.value)}
            />
          </div>
        </>
      ) : null}
      <div className="field">
        <label htmlFor="sign-in-label">{t('label')}</label>
        <input id="sign-in-label" value={label} onChange={(event) => setLabel(event.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('starting') : t('start')}
      </button>
    </form>
  );
}

function SignInProgress({
  session,
  onComplete,
}: {
  session: SignInSessionView;
  onComplete(url: string): Promise<void>;
}) {
  const { t, i18n } = useTranslation('signIn');
  const waiting = session.state === 'waiting';
  return (
    <>
      {session.userCode && waiting ? (
        <div className="sign-in-device">
          <p>{t('device.explain')}</p>
          <div className="sign-in-code-box">
            <span className="muted">{t('device.code')}</span>
            <output className="sign-in-code" data-testid="sign-in-code">
              {session.userCode}
            </output>
            <CopyButton text={session.userCode} label={t('device.copyCode')} />
          </div>
          <a className="sign-in-link" href={session.verificationUriComplete} target="_blank" rel="noreferrer">
            {t('device.openPage')}
          </a>
          {session.expiresAt ? (
            <p className="muted">
              {t('device.expires', { time: formatTime(session.expiresAt, i18n.language) })}
            </p>
          ) : null}
        </div>
      ) : null}
      {session.loginUrl && waiting ? <SocialSteps session={session} onComplete={onComplete} /> : null}
      <p role="status" aria-live="polite" className={`sign-in-state sign-in-${session.state}`}>
        {session.state === 'succeeded'
          ? t(session.renewed ? 'state.renewed' : 'state.succeeded')
          : session.state === 'failed'
            ? t('state.failed', { message: session.message ?? '' })
            : t(`state.${session.state}`)}
      </p>
    </>
  );
}

function SocialSteps({
  session,
  onComplete,
}: {
  session: SignInSessionView;
  onComplete(url: string): Promise<void>;
}) {
  const { t } = useTranslation('signIn');
  const [pasted, setPasted] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (pasted.trim()) void onComplete(pasted.trim());
  }
  return (
    <form className="sign-in-social" onSubmit={submit}>
      <p>{t('social.explain', { redirect: session.redirectUri })}</p>
      <a className="sign-in-link" href={session.loginUrl} target="_blank" rel="noreferrer">
        {t('social.openPage')}
      </a>
      <div className="field">
        <label htmlFor="sign-in-redirect">{t('social.pasteLabel')}</label>
        <input
          id="sign-in-redirect"
          spellCheck={false}
          autoComplete="off"
          value={pasted}
          onChange={(event) => setPasted(event.target.value)}
        />
      </div>
      <button type="submit" className="primary">
        {t('social.finish')}
      </button>
    </form>
  );
}
