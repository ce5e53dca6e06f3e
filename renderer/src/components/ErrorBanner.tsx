import type { ReactNode } from 'react';

/** An error the user can act on; `role="alert"` so screen readers announce it. */
export function ErrorBanner({
  children,
  onDismiss,
  dismissLabel,
}: {
  children: ReactNode;
  onDismiss?(): void;
  dismissLabel?: string;
}) {
  return (
    <div className="error-banner" role="alert">
      <span>{children}</span>
      {onDismiss ? (
        <button type="button" className="link-button" onClick={onDismiss}>
          {dismissLabel ?? '×'}
        </button>
      ) : null}
    </div>
  );
}
