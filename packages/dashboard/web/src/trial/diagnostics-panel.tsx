import { trainingDiagnosticsSchema } from "@hpo/contracts";
import { formatNumber } from "../format.js";
import { Panel } from "../widgets.js";
import { flagExplanations, snapshotNames } from "./diagnostics-text.js";

/** A fraction as a percentage; "—" where the trainer measured NaN or infinity (a diverged network). */
function percent(value: number | null): string {
  if (value === null) return "—";
  return `${(value * 100).toFixed(value > 0 && value < 0.01 ? 2 : 0)}%`;
}

/** Whether a measured fraction reaches its flagging threshold (never for an unmeasured one). */
function reaches(value: number | null, threshold: number): boolean {
  return value !== null && value >= threshold;
}

/** Initialization diagnostics per layer (tfjs trials): the flags in plain words, then every snapshot. */
export function DiagnosticsPanel({ diagnostics }: { diagnostics: unknown }) {
  if (diagnostics === null || diagnostics === undefined) return null;
  const parsed = trainingDiagnosticsSchema.safeParse(diagnostics);
  if (!parsed.success) {
    return (
      <Panel wide title="Diagnostics" hint="Reported by the trainer in a shape this dashboard does not know.">
        <pre className="log">{JSON.stringify(diagnostics, null, 2)}</pre>
      </Panel>
    );
  }
  const { snapshots, flags, thresholds } = parsed.data;
  return (
    <Panel
      wide
      testId="diagnostics-panel"
      title="Initialization diagnostics"
      hint={`Per layer, on a fixed batch: a hidden layer is flagged when ≥ ${percent(thresholds.deadFraction)} of its units are dead or ≥ ${percent(thresholds.saturatedFraction)} of its activations saturated.`}
    >
      {flags.length === 0 ? (
        <div className="flag ok">
          <b>Healthy initialization.</b> No layer is dead or saturated, and the units of each layer differ.
        </div>
      ) : (
        flags.map((flag) => (
          <div key={flag} className="flag bad" data-flag={flag}>
            <b>{flagExplanations[flag].title}.</b> {flagExplanations[flag].text}
          </div>
        ))
      )}
      {snapshots.map((snapshot) => (
        <div key={snapshot.at} className="snapshot">
          <h3>
            {snapshotNames[snapshot.at]}{" "}
            <span className="muted small">
              epoch {snapshot.epoch} · loss {formatNumber(snapshot.loss)}
            </span>
          </h3>
          <table className="table compact-table">
            <thead>
              <tr>
                <th>Layer</th>
                <th className="num">Units</th>
                <th className="num">Activation mean</th>
                <th className="num">Activation std</th>
                <th className="num">Saturated</th>
                <th className="num">Dead</th>
                <th className="num">Gradient norm</th>
                <th className="num">Weight std</th>
                <th>Symmetric</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.layers.map((layer) => {
                const hidden = layer.kind === "hidden";
                return (
                  <tr key={layer.layer}>
                    <td>
                      {layer.layer} <span className="muted small">{layer.kind}</span>
                    </td>
                    <td className="num">{layer.units}</td>
                    <td className="num">{hidden ? formatNumber(layer.activationMean) : "—"}</td>
                    <td className="num">{hidden ? formatNumber(layer.activationStd) : "—"}</td>
                    <td
                      className={
                        hidden && reaches(layer.saturatedFraction, thresholds.saturatedFraction)
                          ? "num bad"
                          : "num"
                      }
                    >
                      {hidden ? percent(layer.saturatedFraction) : "—"}
                    </td>
                    <td
                      className={
                        hidden && reaches(layer.deadFraction, thresholds.deadFraction) ? "num bad" : "num"
                      }
                    >
                      {hidden ? percent(layer.deadFraction) : "—"}
                    </td>
                    <td className="num">{formatNumber(layer.gradientNorm)}</td>
                    <td className="num">{formatNumber(layer.weightStd)}</td>
                    <td className={layer.symmetricWeights ? "bad" : ""}>
                      {layer.symmetricWeights ? "yes" : "no"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </Panel>
  );
}
