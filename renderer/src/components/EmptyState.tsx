import { useId, type ReactNode } from 'react';

/** A page or panel with nothing to show yet: says what is missing and what to do about it. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  const titleId = useId();
  return (
    <div className="empty-state" role="status" aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      {children ? <div className="empty-state-body">{children}</div> : null}
      {action ? <div className="empty-state-action">{action}</div> : null}
    </div>
  );
}
