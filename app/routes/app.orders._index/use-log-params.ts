// The order log's filters and search live in the page's URL (?state=,
// ?operation=, ?from=, ?to=, ?q=), so a filtered log can be reloaded and
// shared. This hook reads them and changes them; any change starts again at
// the newest rows, and the search box waits 300 ms after the last key.
import { useCallback, useEffect, useState } from "react";
import { useSearchParams } from "@remix-run/react";

export const FILTER_KEYS = ["state", "operation", "from", "to", "q"] as const;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

export function useLogParams() {
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(params.get("q") ?? "");
  const debouncedQuery = useDebounced(query, 300);

  const update = useCallback(
    (change: (p: URLSearchParams) => void) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          change(next);
          // Any filter change starts again at the newest rows.
          next.delete("after");
          next.delete("before");
          return next;
        },
        { preventScrollReset: true },
      );
    },
    [setParams],
  );

  useEffect(() => {
    if ((params.get("q") ?? "") === debouncedQuery) return;
    update((p) => (debouncedQuery ? p.set("q", debouncedQuery) : p.delete("q")));
  }, [debouncedQuery, params, update]);

  return {
    params,
    states: params.getAll("state"),
    operations: params.getAll("operation"),
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    query,
    setQuery,
    update,
    setList: (key: string, values: string[]) =>
      update((p) => {
        p.delete(key);
        for (const v of values) p.append(key, v);
      }),
    setValue: (key: string, value: string) => update((p) => (value ? p.set(key, value) : p.delete(key))),
  };
}

export type LogParams = ReturnType<typeof useLogParams>;

/** The same filters with the cursor of the page to show next (or previous). */
export function withCursor(params: URLSearchParams, key: "after" | "before", cursor: string | null): string {
  const next = new URLSearchParams(params);
  next.delete("after");
  next.delete("before");
  if (cursor) next.set(key, cursor);
  return next.toString();
}
