import './charts.css';

export interface UsageBarProps {
  used: number;
  limit: number;
  /** The bar's accessible name, e.g. which account it measures. */
  label: string;
  /** What a screen reader says for the value, e.g. "120 of 500 credits used (24%)". */
  valueText: string;
  testId?: string;
}

/** How full the bar looks: a warning from 75 %, a danger colour from 90 % (too little left to last long). */
export function usageLevel(used: number, limit: number): 'ok' | 'warn' | 'danger' {
  const share = limit > 0 ? used / limit : used > 0 ? 1 : 0;
  if (share >= 0.9) return 'danger';
  if (share >= 0.75) return 'warn';
  return 'ok';
}

/** A used-of-limit bar exposed as a progressbar, so its numbers reach assistive technology too. */
export function UsageBar({ used, limit, label, valueText, testId }: UsageBarProps) {
  const max = Math.max(limit, 0);
  const now = Math.min(Math.max(used, 0), max);
  const percent = max > 0 ? (now / max) * 100 : used > 0 ? 100 : 0;
  return (
    <div
      className={`usage-bar usage-${usageLevel(used, limit)}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={now}
      aria-valuetext={valueText}
      data-testid={testId}
    >
      <div className="usage-bar-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
