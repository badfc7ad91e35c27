import type { ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { useSession } from "../session.js";

function NavLink({ href, children, active }: { href: string; children: ReactNode; active: boolean }) {
  return (
    <Link href={href} className={active ? "nav-link active" : "nav-link"}>
      {children}
    </Link>
  );
}

/** The frame of every signed-in page: the top bar with navigation and sign-out. */
export function AppShell({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const { signOut } = useSession();
  const onWorkers = location.startsWith("/workers");
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          hpo
        </Link>
        <nav className="nav">
          <NavLink href="/" active={!onWorkers}>
            Studies
          </NavLink>
          <NavLink href="/workers" active={onWorkers}>
            Workers
          </NavLink>
        </nav>
        <div className="topbar-right">
          <a className="nav-link" href="/docs" target="_blank" rel="noreferrer">
            API docs
          </a>
          <button type="button" className="button ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      {children}
    </div>
  );
}
