import { useEffect, useRef, type ReactNode, type RefObject } from 'react';

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

export interface ModalFrameProps {
  /** The id of the heading that names the dialog. */
  titleId: string;
  onClose(): void;
  /** Where focus starts; by default the first field, else the first control. */
  initialFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
}

/**
 * Every modal dialog of the dashboard: Escape closes it, Tab and Shift+Tab cycle inside it, focus starts where
 * the work is, and closing it returns focus to the control that opened it, so keyboard users keep their place.
 */
export function ModalFrame({ titleId, onClose, initialFocus, children }: ModalFrameProps) {
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const dialog = dialogRef.current;
    const start =
      initialFocus?.current ??
      dialog?.querySelector<HTMLElement>('input, select, textarea') ??
      (dialog ? focusableInside(dialog)[0] : undefined);
    start?.focus();
    return () => opener?.focus();
    // Focus moves once, when the dialog opens; a later change of the start element must not steal it back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        onClose();
      }
      if (event.key === 'Tab' && dialogRef.current) keepFocusInside(dialogRef.current, event);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={dialogRef}>
        {children}
      </div>
    </div>
  );
}

function focusableInside(dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => !element.hasAttribute('disabled') && !isUncheckedRadio(element),
  );
}

function keepFocusInside(dialog: HTMLElement, event: KeyboardEvent): void {
  const focusable = focusableInside(dialog);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !dialog.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/** Tab reaches a radio group through its checked radio only. */
function isUncheckedRadio(element: HTMLElement): boolean {
  return element instanceof HTMLInputElement && element.type === 'radio' && !element.checked;
}
