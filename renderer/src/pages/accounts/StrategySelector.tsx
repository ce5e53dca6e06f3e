import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { POOL_STRATEGIES, type PoolStrategy } from '../../../../shared/adminApi.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';

/** The pool strategy as a radio group, each choice with one line saying what it does. */
export function StrategySelector() {
  const { t } = useTranslation('accounts');
  const { state, client, dispatch } = useDashboard();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string>();

  async function choose(strategy: PoolStrategy) {
    setSaving(true);
    setFailure(undefined);
    try {
      await client.setStrategy(strategy);
      // Announced as an event too; applying it here keeps the choice visible without waiting for it.
      dispatch({ type: 'event', event: { type: 'strategy', strategy } });
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card strategy" aria-labelledby="pool-strategy-title">
      <h2 id="pool-strategy-title">{t('strategy.title')}</h2>
      <fieldset className="strategy-options" disabled={state.strategy === undefined} aria-busy={saving}>
        <legend className="muted">{t('strategy.explain')}</legend>
        {POOL_STRATEGIES.map((strategy) => (
          <div key={strategy} className="strategy-option">
            <label className="inline-choice">
              <input
                type="radio"
                name="pool-strategy"
                value={strategy}
                checked={state.strategy === strategy}
                aria-describedby={`strategy-${strategy}-description`}
                onChange={() => void choose(strategy)}
              />
              <span className="strategy-name">{t(`strategy.names.${strategy}`)}</span>
            </label>
            <span id={`strategy-${strategy}-description`} className="muted strategy-description">
              {t(`strategy.descriptions.${strategy}`)}
            </span>
          </div>
        ))}
      </fieldset>
      {failure ? <ErrorBanner>{t('errors.strategyFailed', { message: failure })}</ErrorBanner> : null}
    </section>
  );
}
