import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

/**
 * The dashboard's browser build: web/ → dist/web (index.html and hashed assets/). Workspace packages resolve
 * to their TypeScript sources (the `source` condition), so @hpo/contracts needs no build of its own first.
 */
export default defineConfig({
  // Absolute, so that a build started from any directory (npm start, tests) finds the app.
  root: fileURLToPath(new URL("./web", import.meta.url)),
  base: "/",
  plugins: [react()],
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
