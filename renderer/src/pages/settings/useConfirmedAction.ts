import { useCallback, useState } from 'react';

/**
 * An action that asks first (a ConfirmDialog): whether the question is open, whether the action runs, and why
 * it failed. The dialog closes when the action ends either way, so a failure shows beside the button.
 */
export function useConfirmedAction(action: () => Promise<void>) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ask = useCallback(() => setConfirming(true), []);
  const cancel = useCallback(() => setConfirming(false), []);

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return { confirming, busy, error, setError, ask, cancel, confirm };
}
