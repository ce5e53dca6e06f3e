import { useCallback, useState } from 'react';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A form's values, starting from the server's. While the user has changed nothing the draft follows the server
 * (a change from the tray or another window shows up); once edited, the user's text is kept until saved.
 */
export function useDraft<T>(source: T) {
  const [state, setState] = useState({ base: source, draft: source });
  let current = state;
  if (!same(state.base, source)) {
    current = same(state.draft, state.base) ? { base: source, draft: source } : { ...state, base: source };
    setState(current);
  }
  const setDraft = useCallback(
    (change: Partial<T>) =>
      setState((previous) => ({ ...previous, draft: { ...previous.draft, ...change } })),
    [],
  );
  return { draft: current.draft, setDraft, dirty: !same(current.draft, current.base) };
}
