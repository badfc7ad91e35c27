import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiClient } from "./api/api-client.js";
import { useSession } from "./session.js";

export interface ApiState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads with the signed-in client whenever `key` changes; an older answer never overwrites a newer one.
 * `intervalMs` polls (the workers page).
 */
export function useApi<T>(
  load: (client: ApiClient, signal: AbortSignal) => Promise<T>,
  key: string,
  intervalMs?: number,
): ApiState<T> {
  const { client } = useSession();
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    loader
      .current(client, controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setState({ data, error: null, loading: false });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({
          data: previous.data,
          error: error instanceof Error ? error : new Error(String(error)),
          loading: false,
        }));
      });
    return () => controller.abort();
  }, [client, key, tick]);

  useEffect(() => {
    if (!intervalMs) return;
    const timer = setInterval(() => setTick((value) => value + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { ...state, reload };
}
