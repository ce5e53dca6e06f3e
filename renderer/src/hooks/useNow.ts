import { useEffect, useState } from 'react';

/** The current time, renewed every `everyMs`, so "expires in 3 minutes" keeps counting down on an idle page. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
