import { describe, expect, it } from "vitest";
import { takeKeyFromFragment } from "./session-key.js";

describe("takeKeyFromFragment", () => {
  it("takes the key of a #key= link and gives the URL without it", () => {
    expect(takeKeyFromFragment("http://h:3000/studies/abc?x=1#key=hpo_AbC-_1")).toEqual({
      key: "hpo_AbC-_1",
      cleanUrl: "/studies/abc?x=1",
    });
  });

  it("keeps other fragment entries and ignores an empty key", () => {
    expect(takeKeyFromFragment("http://h/#key=&tab=2")).toEqual({ key: null, cleanUrl: "/#tab=2" });
    expect(takeKeyFromFragment("http://h/workers")).toEqual({ key: null, cleanUrl: "http://h/workers" });
  });
});
