import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tempDir, tempDirsHeld } from "../helpers/temp.js";
import { startFakeGitHub } from "./server.js";

describe("the fake GitHub's after-test check (verify)", () => {
  it("fails on a request no route answered and on a route never called, not on an optional one", async () => {
    const fake = await startFakeGitHub();
    fake.route("GET", "/repos/:owner/:repo", () => ({ body: {} }));
    fake.route("GET", "/rate_limit", () => ({ body: {} }));
    fake.route("GET", "/meta", () => ({ body: {} }), { optional: true });

    await fetch(`${fake.url}/repos/o/r`);
    await fetch(`${fake.url}/user?x=1`);
    await fake.close();

    expect(() => fake.verify()).toThrow(
      new Error("fake GitHub:\nunmatched request: GET /user?x=1\nunused route: GET /rate_limit"),
    );
  });

  it("passes when every request matched and every route was called", async () => {
    const fake = await startFakeGitHub();
    fake.route("GET", "/repos/:owner/:repo", () => ({ body: {} }));

    await fetch(`${fake.url}/repos/o/r`);
    await fake.close();

    expect(() => fake.verify()).not.toThrow();
  });
});

describe("the temp-folder helper", () => {
  it("holds each folder it made until the test file ends", async () => {
    const dir = await tempDir("mg-held-");

    expect(existsSync(dir)).toBe(true);
    expect(tempDirsHeld()).toContain(dir);
  });
});
