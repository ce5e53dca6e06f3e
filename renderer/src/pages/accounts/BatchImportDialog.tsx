import { useEffect, useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchImportView } from '../../../../shared/batchImportApi.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { ModalFrame } from '../../components/ModalFrame.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';

const FOLLOW_INTERVAL_MS = 500;

/**
 * Many logins at once: pasted refresh tokens, or an export file pasted, chosen or dropped. Each entry's result
 * shows as Kiro Dock checks it: added, a duplicate (naming the account that has it), or why it failed.
 */
export function BatchImportDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation('batchImport');
  const { client, reload } = useDashboard();
  const [text, setText] = useState('');
  const [view, setView] = useState<BatchImportView>();
  const [failure, setFailure] = useState<string>();
  const [starting, setStarting] = useState(false);

  const followId = view && !view.done ? view.id : undefined;
  useEffect(() => {
    if (!followId) return;
    const timer = setInterval(() => {
      client.batchImport(followId).then(
        (next) => {
          setView(next);
          if (next.done) void reload();
        },
        (error: Error) => setFailure(error.message),
      );
    }, FOLLOW_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [client, followId, reload]);

  async function start(event: FormEvent) {
    event.preventDefault();
    setStarting(true);
    setFailure(undefined);
    try {
      setView(await client.startBatchImport(text));
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setStarting(false);
    }
  }

  function readFile(file: File | undefined) {
    if (file) void file.text().then(setText);
  }

  return (
    <ModalFrame titleId="batch-import-title" onClose={onClose}>
      <div className="batch-import">
        <h2 id="batch-import-title">{t('title')}</h2>
        {view ? (
          <BatchProgress view={view} />
        ) : (
          <form
            className="batch-import-form"
            onSubmit={(event) => void start(event)}
            onDragOver={(event: DragEvent) => event.preventDefault()}
            onDrop={(event: DragEvent) => {
              event.preventDefault();
              readFile(event.dataTransfer.files[0]);
            }}
          >
            <p>{t('explain')}</p>
            <div className="field">
              <label htmlFor="batch-import-text">{t('text')}</label>
              <textarea
                id="batch-import-text"
                rows={8}
                spellCheck={false}
                autoComplete="off"
                value={text}
                onChange={(event) => setText(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="batch-import-file">{t('file')}</label>
              <input
                id="batch-import-file"
                type="file"
                accept=".json,.txt,application/json,text/plain"
                onChange={(event) => readFile(event.target.files?.[0])}
              />
            </div>
            <button type="submit" className="primary" disabled={starting || text.trim() === ''}>
              {starting ? t('running') : t('start')}
            </button>
          </form>
        )}
        {failure ? <ErrorBanner>{failure}</ErrorBanner> : null}
        <div className="modal-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('close')}
          </button>
        </div>
      </div>
    </ModalFrame>
  );
}

function BatchProgress({ view }: { view: BatchImportView }) {
  const { t } = useTranslation('batchImport');
  const count = (status: string) => view.items.filter((item) => item.status === status).length;
  const done = view.items.length - count('pending');
  return (
    <>
      <p role="status" aria-live="polite" data-testid="batch-import-status">
        {view.done
          ? t('summary', { added: count('added'), duplicate: count('duplicate'), failed: count('failed') })
          : t('progress', { done, total: view.items.length })}
      </p>
      <div className="batch-import-list">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('columns.index')}</th>
              <th scope="col">{t('columns.token')}</th>
              <th scope="col">{t('columns.result')}</th>
            </tr>
          </thead>
          <tbody>
            {view.items.map((item) => (
              <tr key={item.index} data-testid={`batch-item-${item.index}`} data-status={item.status}>
                <td className="numeric">{item.index}</td>
                <td>
                  <code>{item.preview}</code>
                </td>
                <td>
                  {t(`status.${item.status}`)}
                  {item.message ? <span className="muted"> — {item.message}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
