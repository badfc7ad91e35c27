/**
 * @hpo/client: the typed TypeScript client of the hpo REST API. Paths, parameters and bodies are typed by
 * the API's OpenAPI document (openapi-typescript, `npm run generate -w @hpo/client`); calls go through
 * openapi-fetch; replies are parsed with the @hpo/contracts schemas.
 *
 *   const api = createHpoClient({ baseUrl: "http://127.0.0.1:3000", token: process.env.HPO_TOKEN });
 *   const study = await callApi("GET study", () => api.GET("/v1/studies/{id}", { params: { path: { id } } }), studyReplySchema);
 */
export { createHpoClient, type HpoApi, type HpoClientOptions, type paths } from "./create-hpo-client.js";
export { callApi, callApiText, callApiVoid, HpoApiError, isGone, type ApiCallResult } from "./call-api.js";
export { parseRetryAfterMs } from "./retry-after.js";
export { followStudyEvents, type FollowStudyEventsOptions } from "./follow-study-events.js";
export { withoutUndefined, type WithoutUndefined } from "./without-undefined.js";
