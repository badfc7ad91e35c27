/** Where the signed-in key lives: this tab's session storage (gone when the tab closes). */
export const sessionKeyName = "hpo.apiKey";

/**
 * The key of a `#key=<api key>` fragment (what the CLI and `npm start` print), and the URL without that
 * fragment. The fragment never reaches the server; the app removes it from the address bar at once.
 */
export function takeKeyFromFragment(href: string): { key: string | null; cleanUrl: string } {
  const url = new URL(href);
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ""));
  const key = fragment.get("key");
  if (key === null) return { key: null, cleanUrl: href };
  fragment.delete("key");
  const rest = fragment.toString();
  return {
    key: key.trim() === "" ? null : key.trim(),
    cleanUrl: `${url.pathname}${url.search}${rest ? `#${rest}` : ""}`,
  };
}

export function readSessionKey(): string | null {
  try {
    return sessionStorage.getItem(sessionKeyName);
  } catch {
    return null;
  }
}

export function writeSessionKey(key: string | null): void {
  try {
    if (key === null) sessionStorage.removeItem(sessionKeyName);
    else sessionStorage.setItem(sessionKeyName, key);
  } catch {
    // storage disabled: the key lives only in memory for this page
  }
}
