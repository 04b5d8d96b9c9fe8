export function Spinner({ label }: { label: string }) {
  return (
    <span role="status" className="row">
      <span className="spinner" aria-hidden="true" />
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** A spinner with its label shown beside it: what a screen says while its first load runs. */
export function Loading({ label }: { label: string }) {
  return (
    <div className="row">
      <Spinner label={label} />
      <span className="muted" aria-hidden="true">
        {label}
      </span>
    </div>
  );
}
