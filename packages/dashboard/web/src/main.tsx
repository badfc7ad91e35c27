import { createRoot } from "react-dom/client";
import { z } from "zod";
import { takeKeyFromFragment } from "./api/session-key.js";
import { App } from "./app.js";
import "./styles.css";

// zod compiles parsers with `new Function` unless told not to; the dashboard's CSP forbids eval.
z.config({ jitless: true });

// `#key=<api key>` signs in: take it and remove it from the address bar before anything else runs.
const { key, cleanUrl } = takeKeyFromFragment(window.location.href);
if (key !== null) window.history.replaceState(window.history.state, "", cleanUrl);

const root = document.getElementById("root");
if (root) createRoot(root).render(<App fragmentKey={key} />);
