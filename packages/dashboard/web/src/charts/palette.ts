/** The dashboard's chart colors (one place, shared with styles.css by name). */
export const palette = {
  complete: "#4f46e5",
  completeSoft: "rgba(79, 70, 229, 0.35)",
  best: "#059669",
  pruned: "#d97706",
  failed: "#dc2626",
  running: "#0891b2",
  muted: "#94a3b8",
  grid: "#e2e8f0",
  text: "#334155",
  textMuted: "#64748b",
  /** Low (good when minimizing) to high. */
  scale: ["#1e3a8a", "#3b82f6", "#a5f3fc", "#fde68a", "#f97316", "#b91c1c"],
} as const;

export const axisStyle = {
  axisLine: { lineStyle: { color: palette.grid } },
  axisTick: { lineStyle: { color: palette.grid } },
  axisLabel: { color: palette.textMuted, fontSize: 11 },
  splitLine: { lineStyle: { color: "#f1f5f9" } },
  nameTextStyle: { color: palette.textMuted, fontSize: 11 },
} as const;
