import { createContext, useContext } from "react";
import type { ApiClient } from "./api/api-client.js";

export interface Session {
  client: ApiClient;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in API client; every page below the sign-in gate has one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the signed-in app");
  return session;
}
