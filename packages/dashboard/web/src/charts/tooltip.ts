/**
 * Chart tooltips built with DOM calls, never HTML strings: the dashboard's CSP forbids inline style
 * attributes, which ECharts' default HTML tooltips carry.
 */
export function tooltipBox(title: string, rows: readonly (readonly [string, string])[]): HTMLElement {
  const box = document.createElement("div");
  box.className = "chart-tip";
  const heading = document.createElement("div");
  heading.className = "chart-tip-title";
  heading.textContent = title;
  box.append(heading);
  for (const [label, value] of rows) {
    const row = document.createElement("div");
    row.className = "chart-tip-row";
    const name = document.createElement("span");
    name.textContent = label;
    const text = document.createElement("b");
    text.textContent = value;
    row.append(name, text);
    box.append(row);
  }
  return box;
}

/** Tooltip options shared by every chart: a plain container the stylesheet dresses. */
export const tooltipBase = {
  className: "chart-tip-host",
  backgroundColor: "#ffffff",
  borderColor: "#e2e8f0",
  padding: 0,
} as const;
