import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';
import {
  ADD_ACCOUNT_KINDS,
  EMPTY_ADD_ACCOUNT_FORM,
  addAccountProblems,
  addAccountRequest,
  type AddAccountField,
  type AddAccountForm,
  type AddAccountKind,
  type FieldProblem,
} from './addAccountForm.ts';
import { ModalFrame } from '../../components/ModalFrame.tsx';

/** Fields each kind of login asks for, in order; secrets are typed in password inputs. */
const FIELDS: Record<AddAccountForm['kind'], { field: AddAccountField; secret: boolean }[]> = {
  social: [{ field: 'refreshToken', secret: true }],
  idc: [
    { field: 'refreshToken', secret: true },
    { field: 'clientId', secret: false },
    { field: 'clientSecret', secret: true },
    { field: 'region', secret: false },
  ],
  api_key: [{ field: 'apiKey', secret: true }],
};

/** Adds an account from a pasted refresh token (social or IdC) or a ksk_ API key. */
export function AddAccountDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation('accounts');
  const { client, dispatch } = useDashboard();
  const [form, setForm] = useState<AddAccountForm>(EMPTY_ADD_ACCOUNT_FORM);
  const [showProblems, setShowProblems] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const problems = addAccountProblems(form);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setShowProblems(true);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const account = await client.addAccount(addAccountRequest(form));
      dispatch({ type: 'account_changed', account });
      onClose();
    } catch (error) {
      setFailure((error as Error).message);
      setBusy(false);
    }
  }

  const update = (patch: Partial<AddAccountForm>) => setForm((current) => ({ ...current, ...patch }));

  return (
    <ModalFrame titleId="add-account-title" onClose={onClose}>
      <form className="add-account" onSubmit={(event) => void submit(event)} noValidate>
        <h2 id="add-account-title">{t('add.title')}</h2>
        <KindChoice kind={form.kind} onChange={(kind) => update({ kind })} />
        <label>
          <span>{t('add.label')}</span>
          <input value={form.label} onChange={(event) => update({ label: event.target.value })} />
        </label>
        {FIELDS[form.kind].map(({ field, secret }) => (
          <FormField
            key={field}
            field={field}
            secret={secret}
            value={form[field]}
            problem={showProblems ? problems[field] : undefined}
            onChange={(value) => update({ [field]: value })}
          />
        ))}
        {failure ? <ErrorBanner>{t('add.failed', { message: failure })}</ErrorBanner> : null}
        <div className="modal-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('actions.cancel', { ns: 'common' })}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('add.adding') : t('add.submit')}
          </button>
        </div>
      </form>
    </ModalFrame>
  );
}

function KindChoice({ kind, onChange }: { kind: AddAccountKind; onChange(kind: AddAccountKind): void }) {
  const { t } = useTranslation('accounts');
  return (
    <fieldset className="add-account-kinds">
      <legend>{t('add.kind')}</legend>
      {ADD_ACCOUNT_KINDS.map((choice) => (
        <label key={choice} className="inline-choice">
          <input
            type="radio"
            name="add-account-kind"
            value={choice}
            checked={kind === choice}
            onChange={() => onChange(choice)}
          />
          <span>{t(`add.kinds.${choice}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

function FormField(props: {
  field: AddAccountField;
  secret: boolean;
  value: string;
  problem: FieldProblem | undefined;
  onChange(value: string): void;
}) {
  const { t } = useTranslation('accounts');
  const { field, secret, value, problem } = props;
  const inputId = `add-account-${field}`;
  const problemId = `${inputId}-problem`;
  // The problem sits outside the label so it describes the field instead of renaming it.
  return (
    <div className="field">
      <label htmlFor={inputId}>{t(`add.${field}`)}</label>
      <input
        id={inputId}
        name={field}
        type={secret ? 'password' : 'text'}
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {problem ? (
        <span id={problemId} className="field-problem">
          {problem === 'apiKeyPrefix' ? t('add.apiKeyPrefix') : t(`add.required.${field}`)}
        </span>
      ) : null}
    </div>
  );
}
