import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestLogEntry, StatsResponse } from '../../../../shared/adminApi.ts';
import { TableScroll } from '../../components/TableScroll.tsx';
import { formatNumber } from '../../format.ts';
import { usageByModel } from './modelUsage.ts';

/** Requests, failures, tokens and credits per model within the window, as far as the requests log reaches. */
export function ModelUsage({ stats, requests }: { stats: StatsResponse; requests: RequestLogEntry[] }) {
  const { t, i18n } = useTranslation('overview');
  const rows = useMemo(() => usageByModel(requests, stats.from), [requests, stats.from]);
  const counted = rows.reduce((sum, row) => sum + row.requests, 0);
  const number = (value: number) => formatNumber(value, i18n.language);
  const withCredits = rows.some((row) => row.credits !== undefined);
  if (rows.length === 0) return null;
  return (
    <section className="card" aria-labelledby="model-usage-title" data-testid="model-usage">
      <h2 id="model-usage-title">{t('models.title')}</h2>
      <p className="muted">{t('models.source', { count: counted })}</p>
      <TableScroll label={t('models.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('models.model')}</th>
              <th scope="col">{t('models.requests')}</th>
              <th scope="col">{t('models.errors')}</th>
              <th scope="col">{t('models.tokens')}</th>
              {withCredits ? <th scope="col">{t('models.credits')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.model} data-testid="model-usage-row" data-model={row.model}>
                <th scope="row">{row.model}</th>
                <td data-label={t('models.requests')}>{number(row.requests)}</td>
                <td data-label={t('models.errors')}>{number(row.errors)}</td>
                <td
                  data-label={t('models.tokens')}
                >{`${number(row.inputTokens)} / ${number(row.outputTokens)}`}</td>
                {withCredits ? (
                  <td data-label={t('models.credits')}>
                    {row.credits === undefined ? '—' : number(row.credits)}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
