import { useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalFrame } from './ModalFrame.tsx';

export interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  confirmLabel?: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** A modal question. Focus starts on Cancel, the safe choice; Escape cancels. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <ModalFrame titleId={titleId} onClose={onCancel} initialFocus={cancelRef}>
      <h2 id={titleId}>{title}</h2>
      {children ? <div className="modal-body">{children}</div> : null}
      <div className="modal-actions">
        <button type="button" ref={cancelRef} className="secondary" onClick={onCancel} disabled={busy}>
          {t('actions.cancel')}
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={busy}>
          {confirmLabel ?? t('actions.confirm')}
        </button>
      </div>
    </ModalFrame>
  );
}
