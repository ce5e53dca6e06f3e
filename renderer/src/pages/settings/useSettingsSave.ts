import { useCallback, useState } from 'react';
import type { SettingsPatch } from '../../../../shared/adminApi.ts';
import { useDashboard } from '../../state/DashboardProvider.tsx';

export interface SettingsSaveState {
  saving: boolean;
  /** The server's (or the form's own) reason the last save did not happen. */
  error?: string;
  /** The last save succeeded and nothing was edited since. */
  saved: boolean;
  /** Changed settings that apply only after the proxy restarts, from the last save. */
  restartRequired: string[];
}

/**
 * Sends one section's PATCH /admin/settings and keeps its outcome. The answer's settings go to the dashboard
 * state at once, as the `settings` event would, so every page sees them without waiting for the stream.
 */
export function useSettingsSave() {
  const { client, dispatch } = useDashboard();
  const [state, setState] = useState<SettingsSaveState>({ saving: false, saved: false, restartRequired: [] });

  const save = useCallback(
    async (patch: SettingsPatch): Promise<boolean> => {
      setState((previous) => ({ ...previous, saving: true, error: undefined, saved: false }));
      try {
        const answer = await client.patchSettings(patch);
        dispatch({ type: 'event', event: { type: 'settings', settings: answer.settings } });
        setState({ saving: false, saved: true, restartRequired: answer.restartRequired });
        return true;
      } catch (error) {
        setState((previous) => ({ ...previous, saving: false, error: (error as Error).message }));
        return false;
      }
    },
    [client, dispatch],
  );

  const fail = useCallback(
    (message: string) => setState((previous) => ({ ...previous, error: message, saved: false })),
    [],
  );

  return { ...state, save, fail };
}
