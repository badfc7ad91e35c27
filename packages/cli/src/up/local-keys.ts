import { callApi, callApiVoid, createHpoClient, HpoApiError } from "@hpo/client";
import { createdKeyReplySchema, pageOf, projectReplySchema, whoAmIReplySchema } from "@hpo/contracts";

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
 * restarts do not pile up keys) and a worker key for this run's worker (revoked when the stack stops).
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
  const createKey = (role: "user" | "worker") =>
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
  const worker = await createKey("worker");
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
