import { studyReplySchema, type StudyReply } from "@hpo/contracts";
import { useState, type SyntheticEvent } from "react";
import { useLocation } from "wouter";
import { ApiError } from "../api/api-client.js";
import { Dialog } from "../dialog.js";
import { useSession } from "../session.js";

/** The definition editor, prefilled with this study's definition under a new name. */
export function CloneStudyDialog({ study, onClose }: { study: StudyReply; onClose: () => void }) {
  const { client } = useSession();
  const [, navigate] = useLocation();
  const [text, setText] = useState(() =>
    JSON.stringify({ ...study.definition, name: `${study.name}-copy` }, null, 2),
  );
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (error) {
      setProblems([`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
      return;
    }
    setBusy(true);
    try {
      const created = await client.send("POST", "/v1/studies", definition, studyReplySchema);
      onClose();
      navigate(`/studies/${created.id}`);
    } catch (error) {
      if (error instanceof ApiError) {
        const issues = error.issues.map(
          (issue) => `${issue.path.join(".") || "(definition)"}: ${issue.message}`,
        );
        setProblems(issues.length > 0 ? issues : [error.message]);
      } else setProblems([String(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Clone study" onClose={onClose}>
      <form className="form" onSubmit={(event) => void submit(event)}>
        <p className="muted small">
          The definition of <b>{study.name}</b> with a new name. Edit anything (space, sampler, budget…) and
          create the new study; the API checks it and points at any problem by its path.
        </p>
        <textarea
          className="input code"
          name="definition"
          aria-label="Study definition (JSON)"
          rows={18}
          spellCheck={false}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        {problems.length > 0 ? (
          <ul className="alert problems">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Creating…" : "Create study"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
