import { trialReplySchema, type Params, type Space, type TrialReply } from "@hpo/contracts";
import { useState, type SyntheticEvent } from "react";
import { ApiError } from "../api/api-client.js";
import { Dialog } from "../dialog.js";
import { useSession } from "../session.js";
import { initialFormValues, isActive, paramsFromForm } from "./space-form.js";

/** "Add a trial": a form built from the study's space; the trial is served before any sampled point. */
export function ManualTrialDialog({
  studyId,
  space,
  prefill,
  onClose,
  onCreated,
}: {
  studyId: string;
  space: Space;
  prefill: Params | null;
  onClose: () => void;
  onCreated: (trial: TrialReply) => void;
}) {
  const { client } = useSession();
  const [text, setText] = useState(() => initialFormValues(space, prefill));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const current = paramsFromForm(space, text).params;

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { params, errors: found } = paramsFromForm(space, text);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const trial = await client.send("POST", `/v1/studies/${studyId}/trials`, { params }, trialReplySchema);
      onCreated(trial);
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Add a trial" onClose={onClose}>
      <form className="form" onSubmit={(event) => void submit(event)}>
        <p className="muted small">
          A trial with the values you choose. It runs before any point the sampler proposes. Prefilled with
          the best trial so far.
        </p>
        {space.map((spec) => {
          const active = isActive(spec, current);
          return (
            <label key={spec.name} className={active ? "field" : "field inactive"}>
              <span className="field-name">
                {spec.name}
                <span className="muted small">
                  {spec.type === "categorical"
                    ? " · choice"
                    : ` · ${spec.type} in [${spec.low}, ${spec.high}]${spec.log ? ", log" : ""}`}
                  {spec.when
                    ? ` · only when ${Object.entries(spec.when)
                        .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join("|") : String(v)}`)
                        .join(", ")}`
                    : ""}
                </span>
              </span>
              {spec.type === "categorical" ? (
                <select
                  className="input"
                  name={spec.name}
                  disabled={!active}
                  value={text[spec.name] ?? ""}
                  onChange={(event) => setText({ ...text, [spec.name]: event.target.value })}
                >
                  {spec.choices.map((choice) => (
                    <option key={String(choice)} value={String(choice)}>
                      {String(choice)}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  className="input"
                  name={spec.name}
                  inputMode="decimal"
                  disabled={!active}
                  value={text[spec.name] ?? ""}
                  onChange={(event) => setText({ ...text, [spec.name]: event.target.value })}
                />
              )}
              {errors[spec.name] ? <span className="field-error">{errors[spec.name]}</span> : null}
            </label>
          );
        })}
        {failure ? <div className="alert">{failure}</div> : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Adding…" : "Add trial"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
