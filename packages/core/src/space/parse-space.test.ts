import { describe, expect, it } from "vitest";
import { HpoError } from "../errors/hpo-error.js";
import { parseSpace } from "./parse-space.js";

describe("parseSpace", () => {
  it("throws a coded HpoError listing paths", () => {
    try {
      parseSpace([{ name: "a", type: "int", low: 5, high: 1 }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HpoError);
      const e = error as HpoError;
      expect(e.code).toBe("invalid_space");
      expect(e.status).toBe(400);
      expect(e.retryable).toBe(false);
      expect(JSON.stringify(e.details)).toContain('[0,"high"]');
    }
  });
});
