import { pageOf, studyReplySchema } from "@hpo/contracts";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Route, Switch } from "wouter";
import { ApiClient, ApiError } from "./api/api-client.js";
import { readSessionKey, writeSessionKey } from "./api/session-key.js";
import { SignInPage } from "./auth/sign-in-page.js";
import { AppShell } from "./layout/app-shell.js";
import { SessionContext, type Session } from "./session.js";
import { StudiesPage } from "./studies/studies-page.js";
import { StudyPage } from "./study/study-page.js";
import { TrialPage } from "./trial/trial-page.js";
import { WorkersPage } from "./workers/workers-page.js";

type AuthState =
  | { kind: "checking"; key: string }
  | { kind: "signed-out"; message: string | null }
  | { kind: "signed-in"; key: string };

/** Why a key was refused, in words a person can act on. */
export function refusalMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return "This API key was not accepted: it is unknown or has been revoked.";
    if (error.status === 403)
      return "This key cannot read studies (a worker key?). Sign in with a user or admin key.";
    return `The API refused the key: ${error.message}`;
  }
  return "The API could not be reached. Is it running?";
}

export function App({ fragmentKey }: { fragmentKey: string | null }) {
  const [auth, setAuth] = useState<AuthState>(() => {
    const key = fragmentKey ?? readSessionKey();
    return key ? { kind: "checking", key } : { kind: "signed-out", message: null };
  });

  const signOut = useCallback((message: string | null = null) => {
    writeSessionKey(null);
    setAuth({ kind: "signed-out", message });
  }, []);

  // A key is checked once with a cheap read before the app trusts it.
  useEffect(() => {
    if (auth.kind !== "checking") return;
    const probe = new ApiClient({ key: auth.key, onUnauthorized: () => undefined });
    let cancelled = false;
    probe
      .get("/v1/studies?limit=1", pageOf(studyReplySchema))
      .then(() => {
        if (cancelled) return;
        writeSessionKey(auth.key);
        setAuth({ kind: "signed-in", key: auth.key });
      })
      .catch((error: unknown) => {
        if (!cancelled) signOut(refusalMessage(error));
      });
    return () => {
      cancelled = true;
    };
  }, [auth, signOut]);

  const session = useMemo<Session | null>(() => {
    if (auth.kind !== "signed-in") return null;
    const client = new ApiClient({
      key: auth.key,
      onUnauthorized: () => signOut("Your session ended: the API key is no longer accepted. Sign in again."),
    });
    return { client, signOut: () => signOut(null) };
  }, [auth, signOut]);

  if (auth.kind === "checking") return <div className="splash">Signing in…</div>;
  if (!session) {
    return (
      <SignInPage
        message={auth.kind === "signed-out" ? auth.message : null}
        onSubmit={(key) => setAuth({ kind: "checking", key })}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <AppShell>
        <Switch>
          <Route path="/">{() => <StudiesPage />}</Route>
          <Route path="/workers">{() => <WorkersPage />}</Route>
          <Route path="/studies/:id">{(params) => <StudyPage studyId={params.id} />}</Route>
          <Route path="/studies/:id/trials/:number">
            {(params) => <TrialPage studyId={params.id} number={Number(params.number)} />}
          </Route>
          <Route>
            <main className="page">
              <div className="empty">This page does not exist.</div>
            </main>
          </Route>
        </Switch>
      </AppShell>
    </SessionContext.Provider>
  );
}
