// Pages follow the work by themselves: while anything is waiting, sending or
// retrying (or a background job runs), the page reloads its loader data every
// few seconds with Remix's revalidation (no full reload: scroll, selection and
// typed text stay). It stops when nothing is in flight, while the tab is
// hidden, and while the page is already loading or submitting.
import { useEffect } from "react";
import { useNavigation, useRevalidator } from "@remix-run/react";

export const LIVE_INTERVAL_MS = 3_000;

export function useLiveRevalidation(active: boolean, intervalMs = LIVE_INTERVAL_MS): void {
  const { revalidate, state } = useRevalidator();
  const navigation = useNavigation();
  const idle = state === "idle" && navigation.state === "idle";
  useEffect(() => {
    if (!active || !idle) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      if (document.visibilityState === "visible") timer = setTimeout(revalidate, intervalMs);
    };
    schedule();
    document.addEventListener("visibilitychange", schedule);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", schedule);
    };
  }, [active, idle, intervalMs, revalidate]);
}
