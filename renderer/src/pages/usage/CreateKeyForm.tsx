import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BudgetPeriodView, CreateClientKeyBody } from '../../../../shared/teamApi.ts';

/** Label, and optionally a budget, the models and a rate; the admin API checks the values and says what is wrong. */
export function CreateKeyForm({ onCreate }: { onCreate(request: CreateClientKeyBody): Promise<unknown> }) {
  const { t } = useTranslation('usage');
  const [label, setLabel] = useState('');
  const [creditLimit, setCreditLimit] = useState('');
  const [period, setPeriod] = useState<BudgetPeriodView>('month');
  const [models, setModels] = useState('');
  const [rate, setRate] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request: CreateClientKeyBody = { label: label.trim() };
    if (creditLimit.trim() !== '') Object.assign(request, { creditLimit: Number(creditLimit), period });
    const modelList = models
      .split(',')
      .map((model) => model.trim())
      .filter(Boolean);
    if (modelList.length > 0) request.models = modelList;
    if (rate.trim() !== '') request.requestsPerMinute = Number(rate);
    setBusy(true);
    void onCreate(request).finally(() => {
      setBusy(false);
      setLabel('');
    });
  };
  return (
    <form className="create-key" onSubmit={submit}>
      <label>
        {t('keys.label')}
        <input value={label} onChange={(event) => setLabel(event.target.value)} required maxLength={100} />
      </label>
      <label>
        {t('keys.creditLimit')}
        <input
          inputMode="decimal"
          value={creditLimit}
          onChange={(event) => setCreditLimit(event.target.value)}
        />
      </label>
      <label>
        {t('keys.period')}
        <select value={period} onChange={(event) => setPeriod(event.target.value as BudgetPeriodView)}>
          <option value="day">{t('keys.periods.day')}</option>
          <option value="month">{t('keys.periods.month')}</option>
        </select>
      </label>
      <label className="wide">
        {t('keys.models')}
        <input value={models} onChange={(event) => setModels(event.target.value)} />
      </label>
      <label>
        {t('keys.rate')}
        <input inputMode="numeric" value={rate} onChange={(event) => setRate(event.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy || label.trim() === ''}>
        {busy ? t('keys.creating') : t('keys.create')}
      </button>
    </form>
  );
}
