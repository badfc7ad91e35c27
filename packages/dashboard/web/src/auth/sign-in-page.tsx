import { useState, type SyntheticEvent } from "react";

export interface SignInPageProps {
  message: string | null;
  onSubmit: (key: string) => void;
}

/**
 * The sign-in form. POST, never GET: even without scripts the key could not end up in a URL. The key is
 * kept in this tab's session storage only.
 */
export function SignInPage({ message, onSubmit }: SignInPageProps) {
  const [key, setKey] = useState("");
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (key.trim() !== "") onSubmit(key.trim());
  };
  return (
    <main className="sign-in">
      <form className="sign-in-card" method="post" onSubmit={submit} autoComplete="off">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          hpo
        </div>
        <h1>Sign in to the dashboard</h1>
        <p className="muted">
          Paste an API key of your project (a user or admin key). <code>npm start</code> prints one, and a
          link that signs you in directly.
        </p>
        <label htmlFor="apiKey">API key</label>
        <input
          className="input"
          id="apiKey"
          name="apiKey"
          type="password"
          placeholder="hpo_…"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          autoFocus
          spellCheck={false}
        />
        {message ? (
          <p className="form-error" role="alert">
            {message}
          </p>
        ) : null}
        <button type="submit" className="button primary wide" disabled={key.trim() === ""}>
          Sign in
        </button>
        <p className="muted small">
          The key stays in this browser tab and is sent only as an Authorization header.
        </p>
      </form>
    </main>
  );
}
