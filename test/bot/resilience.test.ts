import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPORT_MARKER } from "../../core/report/index.js";
import { sampleReport } from "../report/fixtures.js";
import { BASE, deliver, example, GATES_CONFIG, type Harness, HEAD, startHarness, zip } from "./helpers.js";

const RUN = 777;

function workflowRun() {
  const payload = example("workflow_run", "completed", 2);
  payload.workflow_run.id = RUN;
  payload.workflow_run.head_sha = HEAD;
  payload.workflow_run.pull_requests[0].number = 1;
  return payload;
}

describe("GitHub misbehaving", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
    h.gh.artifacts.set(RUN, zip({ "report.json": JSON.stringify(sampleReport()) }));
  });
  afterEach(async () => {
    await h.close();
  });

  const calls = (method: string, suffix: string) =>
    h.gh.fake.requests.filter((r) => r.method === method && r.path.endsWith(suffix)).length;

  it("retries a 500 and then succeeds", async () => {
    h.gh.fail("POST", /\/issues\/1\/comments$/, { status: 500, body: { message: "Server Error" } }, 2);

    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();

    expect(calls("POST", "/issues/1/comments")).toBe(3);
    expect(h.gh.comments).toHaveLength(1);
    expect(h.gh.checkRuns[0]!.conclusion).toBe("failure");
  });

  it("waits out a secondary rate limit (429 with retry-after) and then succeeds", async () => {
    h.gh.fail(
      "GET",
      /\/pulls\/1$/,
      {
        status: 429,
        headers: { "retry-after": "3" },
        body: {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        },
      },
      1,
    );

    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();

    expect(calls("GET", "/pulls/1")).toBeGreaterThanOrEqual(2);
    expect(h.gh.comments).toHaveLength(1);
    expect(h.gh.checkRuns[0]!.status).toBe("completed");
  });

  it("finds its own comment past the first page, and not a user's copy of the marker", async () => {
    for (let i = 0; i < 130; i++) {
      h.gh.comments.push({
        id: i + 1,
        issue: 1,
        body: `chatter ${i}`,
        user: { login: "someone", type: "User" },
      });
    }
    h.gh.comments.push({
      id: 500,
      issue: 1,
      body: `${REPORT_MARKER}\nfake`,
      user: { login: "mallory", type: "User" },
    });
    h.gh.comments.push({
      id: 501,
      issue: 1,
      body: `${REPORT_MARKER}\nold`,
      user: { login: h.gh.botLogin, type: "Bot" },
    });

    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();

    expect(h.gh.comments).toHaveLength(132);
    expect(h.gh.comments.find((c) => c.id === 500)!.body).toBe(`${REPORT_MARKER}\nfake`);
    expect(h.gh.comments.find((c) => c.id === 501)!.body).toContain("f1&#95;macro");
  });
});
