import { useId, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface SettingsSectionProps {
  title: string;
  explain?: string;
  testId: string;
  /** The id the section's error message gets, for fields to point at with aria-describedby. */
  errorId?: string;
  error?: string;
  saved?: boolean;
  /** Present for sections saved with one button; toggles save on change and pass none. */
  onSave?(): void;
  dirty?: boolean;
  saving?: boolean;
  notice?: ReactNode;
  children: ReactNode;
}

/** One card of the settings page: a titled region, its fields, and the outcome of its last save. */
export function SettingsSection(props: SettingsSectionProps) {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSave?.();
  };
  const body = (
    <>
      <div className="settings-fields">{props.children}</div>
      {props.notice}
      {props.error ? (
        <p className="settings-error" role="alert" id={props.errorId}>
          {t('saveFailed', { message: props.error })}
        </p>
      ) : null}
      {props.onSave ? (
        <div className="settings-actions">
          <button type="submit" className="primary" disabled={!props.dirty || props.saving}>
            {tc('actions.save')}
          </button>
          {props.dirty ? <span className="muted">{t('unsaved')}</span> : null}
          {props.saved && !props.dirty ? (
            <span className="muted" role="status">
              {t('saved')}
            </span>
          ) : null}
        </div>
      ) : props.saved ? (
        <p className="muted" role="status">
          {t('saved')}
        </p>
      ) : null}
    </>
  );
  return (
    <SettingsCard title={props.title} explain={props.explain} testId={props.testId}>
      {props.onSave ? <form onSubmit={submit}>{body}</form> : body}
    </SettingsCard>
  );
}

export interface SettingsCardProps {
  title: string;
  explain?: string;
  testId: string;
  children: ReactNode;
}

/** The frame of every settings card: a region named by its heading, with a line saying what it is for. */
export function SettingsCard({ title, explain, testId, children }: SettingsCardProps) {
  const titleId = useId();
  return (
    <section className="card settings-section" aria-labelledby={titleId} data-testid={testId}>
      <h2 id={titleId}>{title}</h2>
      {explain ? <p className="muted settings-explain">{explain}</p> : null}
      {children}
    </section>
  );
}

export interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'number';
  unit?: string;
  invalid?: boolean;
  describedBy?: string;
  min?: number;
  step?: number | 'any';
}

/** A labelled input; the unit sits outside the label so the accessible name stays the field's name. */
export function TextField({
  label,
  value,
  onChange,
  type = 'text',
  unit,
  invalid,
  describedBy,
  min,
  step,
}: TextFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="settings-input">
        <input
          id={id}
          type={type}
          inputMode={type === 'number' ? 'decimal' : undefined}
          value={value}
          min={min}
          step={step}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? describedBy : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        {unit ? <span className="muted">{unit}</span> : null}
      </div>
    </div>
  );
}

export interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: readonly T[];
  optionLabel(option: T): string;
  disabled?: boolean;
  onChange(value: T): void;
}

export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value as T)}
      >
        {props.options.map((option) => (
          <option key={option} value={option}>
            {props.optionLabel(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface ToggleFieldProps {
  label: string;
  hint?: string;
  checked: boolean;
  disabled?: boolean;
  onChange(checked: boolean): void;
}

export function ToggleField({ label, hint, checked, disabled, onChange }: ToggleFieldProps) {
  const hintId = useId();
  return (
    <div className="settings-toggle">
      <label className="inline-choice">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-describedby={hint ? hintId : undefined}
          onChange={(event) => onChange(event.target.checked)}
        />
        <span>{label}</span>
      </label>
      {hint ? (
        <p className="muted settings-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
