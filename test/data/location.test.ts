import { describe, expect, it } from "vitest";
import { displayLocation, isRemote, parseLocation, resolveLocation } from "../../core/data/location.js";
import { locators } from "../../core/data/locators/index.js";

describe("one location parser", () => {
  it.each([
    ["https://example.com/d.csv", "http"],
    ["HTTP://example.com/d.csv", "http"],
    ["data/*.csv", "glob"],
    ["data/{a,b}.csv", "glob"],
    ["data/train.csv", "file"],
    ["/abs/train.csv", "file"],
    ["C:/data/x.csv", "file"],
  ])("%s is a %s location", (text, kind) => {
    expect(parseLocation(text).kind).toBe(kind);
  });

  it("has a locator for every kind it parses", () => {
    expect([...locators.keys()].sort()).toEqual(["file", "glob", "http"]);
  });

  it("resolves and displays local paths against folders, URLs as they are", () => {
    const url = "https://example.com/d.csv";

    expect([
      resolveLocation("/project", "data/a.csv"),
      resolveLocation("/project", url),
      displayLocation("/project", "/project/data/a.csv"),
      displayLocation("/project", url),
      isRemote(url),
      isRemote("data/a.csv"),
    ]).toEqual(["/project/data/a.csv", url, "data/a.csv", url, true, false]);
  });
});
