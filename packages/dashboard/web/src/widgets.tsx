import type { ReactNode } from "react";

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state}`}>{state}</span>;
}

export function ProgressBar({ fraction }: { fraction: number }) {
  const percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuenow={percent}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div className="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

export function Panel({
  title,
  hint,
  actions,
  children,
  wide,
  testId,
}: {
  title: string;
  hint?: string;
  actions?: ReactNode;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  return (
    <section className={wide ? "card panel wide" : "card panel"} data-testid={testId}>
      <div className="panel-header">
        <div>
          <h2>{title}</h2>
          {hint ? <p className="muted small">{hint}</p> : null}
        </div>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function Stat({ label, value, sub }: { label: string; value: ReactNode; sub?: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub ? <div className="stat-sub">{sub}</div> : null}
    </div>
  );
}
