import { callApi, createHpoClient } from "@hpo/client";
import {
  apiKeyRoles,
  createdKeyReplySchema,
  keyReplySchema,
  pageOf,
  projectReplySchema,
  whoAmIReplySchema,
  workerReplySchema,
  type ApiKeyRole,
} from "@hpo/contracts";
import type { Command } from "commander";
import open from "open";
import { z } from "zod";
import { oneOf } from "../arguments.js";
import { configPath, saveProfile } from "../config/cli-config.js";
import { defaultApiUrl } from "../config/resolve-connection.js";
import { contextOf, type CliEnvironment, type CommandContext } from "../context.js";
import { CliError, exitCodes } from "../exit-codes.js";
import { isUuid } from "../session.js";
import { dashboardUrl } from "./dashboard-url.js";

/** The project a key command acts on: --project (id or name), else the key's own, else "default". */
async function projectIdFor(context: CommandContext, ref: string | undefined): Promise<string> {
  const session = context.session();
  if (ref !== undefined && isUuid(ref)) return ref;
  if (ref === undefined) {
    const me = await session.call("GET /v1/me", () => session.api.GET("/v1/me"), whoAmIReplySchema);
    if (me.project) return me.project.id;
  }
  const name = ref ?? "default";
  const projects = await session.call(
    "GET /v1/projects",
    () => session.api.GET("/v1/projects"),
    pageOf(projectReplySchema),
  );
  const match = projects.items.find((project) => project.name === name);
  if (!match) throw new CliError(`no project named "${name}"`, exitCodes.notFound);
  return match.id;
}

/** Where a browser can be opened: a desktop session, macOS or Windows, and a person at a terminal. */
function canOpenBrowser(env: NodeJS.ProcessEnv, interactive: boolean): boolean {
  if (!interactive || env["CI"]) return false;
  if (process.platform === "darwin" || process.platform === "win32") return true;
  return Boolean(env["DISPLAY"] || env["WAYLAND_DISPLAY"]);
}

export function registerAdminCommands(program: Command, environment: CliEnvironment): void {
  program
    .command("workers")
    .description("the project's workers: host, GPUs, backend, slots, running trials, last seen")
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const workers = await session.call(
        "GET /v1/workers",
        () => session.api.GET("/v1/workers"),
        pageOf(workerReplySchema),
      );
      if (context.output.json) return context.output.printJson(workers.items);
      if (workers.items.length === 0) return context.output.line("no workers have registered");
      context.output.table(
        ["id", "alive", "host", "backend", "gpus", "slots", "running", "last seen"],
        workers.items.map((worker) => [
          worker.id,
          worker.alive ? "yes" : "no",
          worker.host,
          worker.backend,
          worker.gpus.join(",") || "-",
          worker.slots,
          worker.runningTrials,
          worker.lastSeen.replace("T", " ").slice(0, 19),
        ]),
      );
    });

  const keys = program.command("keys").description("a project's API keys (needs an admin key)");
  keys
    .command("create")
    .description("create a key; its secret is shown once")
    .option("--role <role>", apiKeyRoles.join(", "), oneOf(apiKeyRoles), "user")
    .option("--project <project>", "project id or name (default: the key's own project, else default)")
    .action(async (options: { role: ApiKeyRole; project?: string }, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const projectId = await projectIdFor(context, options.project);
      const created = await session.call(
        `POST /v1/projects/${projectId}/keys`,
        () =>
          session.api.POST("/v1/projects/{id}/keys", {
            params: { path: { id: projectId } },
            body: { role: options.role },
          }),
        createdKeyReplySchema,
      );
      if (context.output.json) return context.output.printJson(created);
      context.output.line(created.key);
      context.output.note(
        `${created.role} key ${created.id} for project ${projectId}; the secret above is shown only once`,
      );
    });
  keys
    .command("ls")
    .description("list keys (never their secrets)")
    .option("--project <project>", "project id or name (default: the key's own project, else default)")
    .action(async (options: { project?: string }, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const projectId = await projectIdFor(context, options.project);
      const listed = await session.call(
        `GET /v1/projects/${projectId}/keys`,
        () => session.api.GET("/v1/projects/{id}/keys", { params: { path: { id: projectId } } }),
        z.object({ items: z.array(keyReplySchema) }),
      );
      if (context.output.json) return context.output.printJson(listed.items);
      context.output.table(
        ["id", "role", "prefix", "created", "last used", "revoked"],
        listed.items.map((key) => [
          key.id,
          key.role,
          key.prefix,
          key.createdAt.slice(0, 19).replace("T", " "),
          key.lastUsedAt?.slice(0, 19).replace("T", " ") ?? "-",
          key.revokedAt?.slice(0, 19).replace("T", " ") ?? "-",
        ]),
      );
    });
  keys
    .command("revoke")
    .argument("<key-id>", "the key's id (from keys ls)")
    .description("revoke a key: it stops working at once")
    .action(async (keyId: string, _options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      await session.send(`DELETE /v1/keys/${keyId}`, () =>
        session.api.DELETE("/v1/keys/{id}", { params: { path: { id: keyId } } }),
      );
      if (context.output.json) return context.output.printJson({ revoked: keyId });
      context.output.line(`revoked key ${keyId}`);
    });

  program
    .command("dashboard")
    .argument("[study]", "open this study (id or name)")
    .description("the dashboard's URL with your key in its #fragment; opened in a browser where there is one")
    .action(async (ref: string | undefined, _options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const studyId = ref === undefined ? undefined : await session.studyId(ref);
      const url = dashboardUrl(session.connection.apiUrl, session.connection.token, studyId);
      if (context.output.json) return context.output.printJson({ url });
      context.output.line(url);
      if (canOpenBrowser(environment.env, context.output.interactive)) {
        await open(url).catch(() => context.output.note("(could not open a browser; open the URL above)"));
      }
    });

  program
    .command("login")
    .description(
      "check an API URL and key (--api-url, --token) and save them as a profile (--profile, default: default)",
    )
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      const profileName = context.globals.profile ?? "default";
      const apiUrl = (context.globals.apiUrl ?? environment.env["HPO_API_URL"] ?? defaultApiUrl).replace(
        /\/+$/,
        "",
      );
      const token = context.globals.token ?? environment.env["HPO_TOKEN"];
      if (!token)
        throw new CliError(
          "give the key: hpo login --api-url URL --token KEY (or set HPO_TOKEN)",
          exitCodes.usage,
        );
      const me = await callApi(
        "GET /v1/me",
        () => createHpoClient({ baseUrl: apiUrl, token }).GET("/v1/me"),
        whoAmIReplySchema,
      );
      const path = configPath(environment.env);
      saveProfile(path, profileName, { apiUrl, token }, true);
      if (context.output.json) return context.output.printJson({ profile: profileName, path, ...me });
      context.output.line(
        `logged in to ${apiUrl} as a ${me.role} key of project ${me.project?.name ?? "(bootstrap admin)"}; saved as profile "${profileName}" in ${path}`,
      );
    });
}
