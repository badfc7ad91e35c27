import { callApi, callApiVoid, createHpoClient, HpoApiError } from "@hpo/client";
import {
  createdFleetKeyReplySchema,
  createdKeyReplySchema,
  fleetBodySchema,
  pageOf,
  projectReplySchema,
  whoAmIReplySchema,
} from "@hpo/contracts";

export const localProjectName = "default";

export interface LocalKeys {
  projectId: string;
  userKey: string;
  /** Whether the user key was kept from an earlier run (the saved profile) rather than made now. */
  reusedUserKey: boolean;
  workerKey: string;
  workerKeyId: string;
}

/**
 * The local project "default", a user key for you (the saved one when it still works against this API, so
 * restarts do not pile up keys) and a fleet key for this run's worker, serving every project (revoked when
 * the stack stops).
 */
export async function issueLocalKeys(
  apiUrl: string,
  adminToken: string,
  savedUserKey: string | null,
): Promise<LocalKeys> {
  const admin = createHpoClient({ baseUrl: apiUrl, token: adminToken });
  const projects = await callApi(
    "GET /v1/projects",
    () => admin.GET("/v1/projects"),
    pageOf(projectReplySchema),
  );
  const projectId =
    projects.items.find((project) => project.name === localProjectName)?.id ??
    (
      await callApi(
        "POST /v1/projects",
        () => admin.POST("/v1/projects", { body: { name: localProjectName } }),
        projectReplySchema,
      )
    ).id;
  const createKey = (role: "user") =>
    callApi(
      `POST /v1/projects/${projectId}/keys`,
      () => admin.POST("/v1/projects/{id}/keys", { params: { path: { id: projectId } }, body: { role } }),
      createdKeyReplySchema,
    );
  let userKey: string | null = null;
  if (savedUserKey !== null) {
    try {
      const me = await callApi(
        "GET /v1/me",
        () => createHpoClient({ baseUrl: apiUrl, token: savedUserKey }).GET("/v1/me"),
        whoAmIReplySchema,
      );
      if (me.role === "user" && me.project?.id === projectId) userKey = savedUserKey;
    } catch (error) {
      if (!(error instanceof HpoApiError) || error.status !== 401) throw error;
    }
  }
  // The local worker serves every project on this machine (a second project's trials run too): a fleet
  // key of pool "default", whose fleet is open to all projects (docs/fleets.md).
  await callApi(
    "PUT /v1/fleets/default",
    () =>
      admin.PUT("/v1/fleets/{pool}", { params: { path: { pool: "default" } }, body: { allProjects: true } }),
    fleetBodySchema,
  );
  const worker = await callApi(
    "POST /v1/fleets/default/keys",
    () => admin.POST("/v1/fleets/{pool}/keys", { params: { path: { pool: "default" } } }),
    createdFleetKeyReplySchema,
  );
  return {
    projectId,
    userKey: userKey ?? (await createKey("user")).key,
    reusedUserKey: userKey !== null,
    workerKey: worker.key,
    workerKeyId: worker.id,
  };
}

export async function revokeKey(apiUrl: string, adminToken: string, keyId: string): Promise<void> {
  const admin = createHpoClient({ baseUrl: apiUrl, token: adminToken, timeoutMs: 5_000 });
  await callApiVoid(`DELETE /v1/keys/${keyId}`, () =>
    admin.DELETE("/v1/keys/{id}", { params: { path: { id: keyId } } }),
  );
}
