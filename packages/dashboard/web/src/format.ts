import type { ParamValue } from "@hpo/contracts";

/** A value as people read it: 4 significant digits, exponent form for the very small and very large. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(2);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Number(value.toPrecision(4)).toString();
}

export function formatParam(value: ParamValue | undefined): string {
  if (value === undefined) return "—";
  return typeof value === "number" ? formatNumber(value) : String(value);
}

export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

/** "12 s ago", "3 min ago": how long since an ISO time, from `now` (ms). */
export function formatAge(iso: string | null, now: number): string {
  if (iso === null) return "never";
  const ms = Math.max(0, now - Date.parse(iso));
  if (ms < 1500) return "just now";
  return `${formatDuration(ms).replace(/\.\d s$/, " s")} ago`;
}

export function formatTime(iso: string | null): string {
  if (iso === null) return "—";
  const date = new Date(iso);
  return date.toLocaleString("en-GB", {
    year: "numeric",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
}
