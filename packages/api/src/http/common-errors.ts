import { errorReplySchema } from "@hpo/contracts";

/** The usual error answers, to spread into a route's `response` (they document the API in OpenAPI). */
export const commonErrors = {
  400: errorReplySchema,
  401: errorReplySchema,
  404: errorReplySchema,
  409: errorReplySchema,
  429: errorReplySchema,
};
