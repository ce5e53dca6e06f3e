import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways inside its card. The scroller takes focus, so a keyboard user can scroll
 * it with the arrow keys even when no cell holds a control; its name says which table it is.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
