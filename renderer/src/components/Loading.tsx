/** A page or panel waiting for its first data; a status, so screen readers hear it and the page that follows. */
export function Loading({ children }: { children: string }) {
  return (
    <p className="muted" role="status">
      {children}
    </p>
  );
}
