import { useTranslation } from 'react-i18next';
import {
  CACHE_FILTERS,
  isFiltering,
  NO_FILTER,
  type CacheFilter,
  type RequestFilter,
  type StatusFilter,
} from './requestFilter.ts';

export interface RequestFiltersProps {
  filter: RequestFilter;
  models: string[];
  onChange(filter: RequestFilter): void;
}

/** Search, status, model and cache-outcome choices above the requests table. */
export function RequestFilters({ filter, models, onChange }: RequestFiltersProps) {
  const { t } = useTranslation('requests');
  const set = (change: Partial<RequestFilter>) => onChange({ ...filter, ...change });
  return (
    <form
      className="request-filters"
      role="search"
      aria-label={t('filters.label')}
      onSubmit={(event) => event.preventDefault()}
    >
      <label className="request-filter-search">
        {t('filters.search')}
        <input
          type="search"
          value={filter.text}
          placeholder={t('filters.searchPlaceholder')}
          onChange={(event) => set({ text: event.target.value })}
        />
      </label>
      <label>
        {t('filters.status')}
        <select
          value={filter.status}
          onChange={(event) => set({ status: event.target.value as StatusFilter })}
        >
          <option value="all">{t('filters.statusAll')}</option>
          <option value="ok">{t('filters.statusOk')}</option>
          <option value="errors">{t('filters.statusErrors')}</option>
        </select>
      </label>
      <label>
        {t('filters.model')}
        <select value={filter.model} onChange={(event) => set({ model: event.target.value })}>
          <option value="">{t('filters.modelAll')}</option>
          {models.map((model) => (
            <option key={model} value={model}>
              {model}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('filters.cache')}
        <select value={filter.cache} onChange={(event) => set({ cache: event.target.value as CacheFilter })}>
          {CACHE_FILTERS.map((cache) => (
            <option key={cache} value={cache}>
              {cache === 'all' ? t('filters.cacheAll') : t(`cache.${cache}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="secondary"
        disabled={!isFiltering(filter)}
        onClick={() => onChange(NO_FILTER)}
      >
        {t('filters.clear')}
      </button>
    </form>
  );
}
