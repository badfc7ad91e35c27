import {
  callApi,
  callApiText,
  callApiVoid,
  createHpoClient,
  type ApiCallResult,
  type HpoApi,
} from "@hpo/client";
import { pageOf, studyReplySchema, trialReplySchema, type StudyReply, type TrialReply } from "@hpo/contracts";
import type { z } from "zod";
import type { Connection } from "./config/resolve-connection.js";
import { CliError, exitCodes } from "./exit-codes.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return uuidPattern.test(text);
}

/** The typed client bound to one API and key, with the look-ups several commands share. */
export class Session {
  readonly api: HpoApi;

  constructor(readonly connection: Connection) {
    this.api = createHpoClient({ baseUrl: connection.apiUrl, token: connection.token });
  }

  call<T extends z.ZodType>(
    label: string,
    send: () => Promise<ApiCallResult>,
    schema: T,
  ): Promise<z.output<T>> {
    return callApi(label, send, schema);
  }

  /**
   * POST /v1/studies. The definition was checked with the contract the route declares (studyDefinitionSchema);
   * the cast only bridges zod's `x?: T | undefined` and the generated `x?: T`, which JSON makes the same.
   */
  createStudy(definition: unknown, idempotencyKey: string): Promise<StudyReply> {
    return this.call(
      "POST /v1/studies",
      () =>
        this.api.POST("/v1/studies", {
          body: definition as never,
          headers: { "idempotency-key": idempotencyKey },
        }),
      studyReplySchema,
    );
  }

  /** A call whose reply carries nothing to read (204). */
  send(label: string, send: () => Promise<ApiCallResult>): Promise<void> {
    return callApiVoid(label, send);
  }

  /** A call answered with text (logs, CSV). */
  text(label: string, send: () => Promise<ApiCallResult>): Promise<string> {
    return callApiText(label, send);
  }

  /** A study by id, or by its exact name within the key's project. */
  async study(ref: string): Promise<StudyReply> {
    const id = await this.studyId(ref);
    return this.call(
      `GET /v1/studies/${id}`,
      () => this.api.GET("/v1/studies/{id}", { params: { path: { id } } }),
      studyReplySchema,
    );
  }

  async studyId(ref: string): Promise<string> {
    if (isUuid(ref)) return ref;
    const page = await this.call(
      "GET /v1/studies",
      () => this.api.GET("/v1/studies", { params: { query: { name: ref, limit: 100 } } }),
      pageOf(studyReplySchema),
    );
    const match = page.items.find((study) => study.name === ref);
    if (!match) throw new CliError(`no study with id or name "${ref}"`, exitCodes.notFound);
    return match.id;
  }

  /** Trial NUMBER of a study, with its reports. */
  async trialByNumber(studyId: string, number: number): Promise<TrialReply> {
    const page = await this.call(
      `GET /v1/studies/${studyId}/trials`,
      () =>
        this.api.GET("/v1/studies/{id}/trials", {
          params: {
            path: { id: studyId },
            query: { numberMin: number, numberMax: number, include: "reports", limit: 1 },
          },
        }),
      pageOf(trialReplySchema),
    );
    const trial = page.items[0];
    if (!trial) throw new CliError(`study ${studyId} has no trial number ${number}`, exitCodes.notFound);
    return trial;
  }

  /** Every trial matching the query, page after page (the API pages by keyset, so none repeats). */
  async allTrials(
    studyId: string,
    query: { state?: string; sort?: TrialSortQuery; include?: "reports" },
    max = Number.POSITIVE_INFINITY,
  ): Promise<TrialReply[]> {
    const trials: TrialReply[] = [];
    let cursor: string | undefined;
    while (trials.length < max) {
      const limit = Math.min(500, max - trials.length);
      const page = await this.call(
        `GET /v1/studies/${studyId}/trials`,
        () =>
          this.api.GET("/v1/studies/{id}/trials", {
            params: { path: { id: studyId }, query: { ...query, limit, ...(cursor ? { cursor } : {}) } },
          }),
        pageOf(trialReplySchema),
      );
      trials.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return trials;
  }
}

export type TrialSortQuery = "number" | "-number" | "value" | "-value" | "duration" | "-duration";
