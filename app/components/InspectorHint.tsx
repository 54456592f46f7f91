/** The inspector with nothing selected: in the first frame, so not in the inspector's own chunk (later.tsx). */
export function InspectorHint({ loading = false }: { loading?: boolean }) {
  return (
    <section className="panel inspector" aria-label="Inspector">
      <h2>Inspector</h2>
      {loading ? (
        <p className="hint" role="status">
          Loading the inspector…
        </p>
      ) : (
        <p className="hint">Click a connection, address, client, pool or driver to see its handlers, queue and counters. Click a NIC, a protocol layer or the pool to fail it.</p>
      )}
    </section>
  );
}
