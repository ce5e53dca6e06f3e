import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Copies `text` to the clipboard and says so for two seconds. `text` may be produced on demand (a revealed key). */
export function CopyButton({ text, label }: { text: string | (() => Promise<string>); label?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      const value = typeof text === 'string' ? text : await text();
      await navigator.clipboard.writeText(value);
      setFailed(false);
      setCopied(true);
    } catch {
      setFailed(true);
    }
  }

  return (
    <button type="button" className="secondary" onClick={() => void copy()} aria-live="polite">
      {copied
        ? t('actions.copied')
        : failed
          ? `${label ?? t('actions.copy')} ✕`
          : (label ?? t('actions.copy'))}
    </button>
  );
}
