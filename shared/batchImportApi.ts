/**
 * The admin API's batch import (`/admin/accounts/batch`): many refresh tokens or an export file at once, with
 * progress per entry. Never a token: entries are named by their number and a masked preview.
 */

/** `POST /admin/accounts/batch`: the pasted text or the dropped file's content. */
export interface StartBatchImportRequest {
  text: string;
}

export interface BatchImportItem {
  /** 1-based position in what was pasted. */
  index: number;
  /** `aor…wxyz`. */
  preview: string;
  status: 'pending' | 'added' | 'duplicate' | 'failed';
  /** The account added, or the one that already holds this login. */
  accountId?: string;
  /** Why it failed or is a duplicate. */
  message?: string;
}

export interface BatchImportView {
  id: string;
  done: boolean;
  items: BatchImportItem[];
}
