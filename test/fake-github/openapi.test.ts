import { describe, expect, it } from "vitest";
import { openApiChecker } from "./openapi.js";
import { startFakeGitHub } from "./server.js";

const checker = openApiChecker();
const PULL = "/repos/octo-org/churn/pulls/12";

describe("the OpenAPI checker of the fake GitHub", () => {
  it("accepts a request GitHub documents and a completed answer of the right shape", () => {
    const answer = checker.complete("GET", PULL, 200, { number: 12, state: "open" });

    expect(checker.checkRequest("GET", PULL, new URLSearchParams(), undefined)).toEqual([]);
    expect(checker.checkResponse("GET", PULL, 200, answer)).toEqual([]);
    expect(answer).toMatchObject({ number: 12, state: "open", head: { sha: expect.any(String) } });
  });

  it("catches a wrong answer: a field of the wrong type, or a status GitHub never sends", () => {
    const wrong = checker.complete("GET", PULL, 200, { number: "12", state: "open" });

    expect(checker.checkResponse("GET", PULL, 200, wrong).join()).toMatch(/\/number must be integer/);
    expect(checker.checkResponse("GET", PULL, 418, {})).toEqual([
      "GET /repos/{owner}/{repo}/pulls/{pull_number} -> 418: GitHub documents no 418 answer here",
    ]);
  });

  it("catches a refused body, an unknown query parameter and an unknown route", () => {
    const checks = "/repos/octo-org/churn/check-runs";

    expect(checker.checkRequest("POST", checks, new URLSearchParams(), { name: "m", head_sha: "a" })).toEqual(
      [],
    );
    expect(
      checker
        .checkRequest("POST", checks, new URLSearchParams(), { name: "m", head_sha: "a", status: "done" })
        .join(),
    ).toMatch(/body\/status must be equal to one of the allowed values/);
    expect(
      checker.checkRequest("GET", `${PULL}/files`, new URLSearchParams("per_page=100&head=x"), undefined),
    ).toEqual(["GET /repos/{owner}/{repo}/pulls/{pull_number}/files: unknown query parameter 'head'"]);
    expect(
      checker.checkRequest("GET", "/repos/octo-org/churn/nonsense", new URLSearchParams(), undefined),
    ).toEqual(["GET /repos/octo-org/churn/nonsense: no such operation in GitHub's API"]);
  });

  it("reads a contents path with slashes as the contents API", () => {
    const path = "/repos/octo-org/churn/contents/.modelgate/models/churn/aliases.json";

    expect(checker.checkRequest("GET", path, new URLSearchParams("ref=main"), undefined)).toEqual([]);
  });

  it("a fake GitHub with the checker records a wrong answer and a refused request as violations", async () => {
    const fake = await startFakeGitHub({ openapi: checker });
    fake.route("GET", "/repos/:owner/:repo/pulls/:number", () => ({ body: { number: "twelve" } }));
    fake.route("POST", "/repos/:owner/:repo/check-runs", () => ({ status: 201, body: { id: 1 } }));

    await fetch(`${fake.url}${PULL}`);
    await fetch(`${fake.url}/repos/octo-org/churn/check-runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ head_sha: "a" }),
    });
    await fake.close();

    expect(fake.violations).toEqual([
      "GET /repos/{owner}/{repo}/pulls/{pull_number} -> 200/number must be integer",
      "POST /repos/{owner}/{repo}/check-runs body must have required property 'name'",
    ]);
  });
});
