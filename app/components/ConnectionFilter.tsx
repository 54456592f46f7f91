import { useEffect, useId, useMemo, useState } from 'react';

/** Ids the browser's list offers at most: 102,400 options took the page 30 s to draw at load (#18). */
const MAX_SUGGESTIONS = 200;

/**
 * The log's connection filter: a field that finds a connection as its id is typed (the browser lists
 * the ids that match), not a drop-down of 2,048 entries. Empty: all connections.
 */
export function ConnectionFilter({ ids, value, onChange }: { ids: readonly string[]; value: number; onChange: (index: number) => void }) {
  const listId = useId();
  const [text, setText] = useState(value >= 0 ? (ids[value] ?? '') : '');
  // Another scenario, or the filter cleared elsewhere: the field shows what is in force.
  useEffect(() => setText(value >= 0 ? (ids[value] ?? '') : ''), [ids, value]);
  const typed = text.trim();
  const index = typed === '' ? -1 : ids.indexOf(typed);
  const unknown = typed !== '' && index < 0;
  // The ids that match what is typed (the first of them when nothing is), not every id of the scenario.
  const suggestions = useMemo(() => {
    const out: string[] = [];
    for (const id of ids) {
      if (typed !== '' && !id.includes(typed)) continue;
      out.push(id);
      if (out.length === MAX_SUGGESTIONS) break;
    }
    return out;
  }, [ids, typed]);
  return (
    <>
      <input
        type="search"
        className="conn-filter"
        aria-label="Filter by connection"
        placeholder="all connections"
        list={listId}
        value={text}
        aria-invalid={unknown || undefined}
        title={unknown ? `No connection is called ${typed}` : 'Type a connection id (the list shows the ones that match); empty: all connections'}
        onChange={(e) => {
          setText(e.target.value);
          const t = e.target.value.trim();
          const i = t === '' ? -1 : ids.indexOf(t);
          if (t === '' || i >= 0) onChange(i);
        }}
      />
      <datalist id={listId}>
        {suggestions.map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
    </>
  );
}
