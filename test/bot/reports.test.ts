import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPORT_MARKER } from "../../core/report/index.js";
import { normalEvidence, sampleReport } from "../report/fixtures.js";
import { BASE, deliver, example, GATES_CONFIG, type Harness, HEAD, startHarness, zip } from "./helpers.js";

const RUN = 289782451;

function workflowRun(pulls: "listed" | "fork" = "listed") {
  const payload = example("workflow_run", "completed", 2);
  payload.workflow_run.id = RUN;
  payload.workflow_run.head_sha = HEAD;
  payload.workflow_run.pull_requests =
    pulls === "listed" ? [{ ...payload.workflow_run.pull_requests[0], number: 1 }] : [];
  return payload;
}

const reportZip = (report: unknown) => zip({ "report.json": JSON.stringify(report) });

describe("workflow_run.completed", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
  });
  afterEach(async () => {
    await h.close();
  });

  it("comments once and fails the check with the base branch's gates", async () => {
    // The PR's report claims it passed, with no gates: the base branch's config decides.
    h.gh.artifacts.set(RUN, reportZip(sampleReport({ passed: true, gates: [] })));

    const status = await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();

    expect(status).toBe(200);
    expect(h.gh.comments).toHaveLength(1);
    expect(h.gh.comments[0]!.body.startsWith(REPORT_MARKER)).toBe(true);
    expect(h.gh.comments[0]!.body).toContain("f1&#95;macro");
    expect(h.gh.checkRuns).toHaveLength(1);
    const check = h.gh.checkRuns[0]!;
    expect({
      sha: check.head_sha,
      status: check.status,
      conclusion: check.conclusion,
      external: check.external_id,
    }).toEqual({
      sha: HEAD,
      status: "completed",
      conclusion: "failure",
      external: `modelgate:${RUN}`,
    });
    expect(check.actions.map((a) => a.identifier)).toEqual(["accept_regression"]);
    expect(check.annotations).toHaveLength(1);
  });

  it("an inconclusive gate fails the check as inconclusive, with the Accept button; onInconclusive: pass lets it through", async () => {
    // f1_macro dropped 0.004 (within 0.01), but its bound reaches ~0.04: this test set cannot tell.
    const unsure = sampleReport({
      metrics: { accuracy: 0.95, f1_macro: 0.8863, log_loss: 0.2 },
      deltas: {
        f1_macro: {
          delta: 0.8863 - 0.8903,
          ci: [0, 0],
          evidence: normalEvidence(0.8863 - 0.8903, 0.02, 150),
        },
      },
    });
    h.gh.artifacts.set(RUN, reportZip(unsure));

    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();
    const blocked = structuredClone(h.gh.checkRuns.at(-1)!);
    h.gh.files.set(`${BASE}:modelgate.yml`, `${GATES_CONFIG}onInconclusive: pass\n`);
    // A second attempt of the run: the first attempt's work is done (bot/work.ts).
    const again = workflowRun();
    again.workflow_run.run_attempt = 2;
    await deliver(h.bot, "workflow_run", again);
    await h.bot.idle();
    const allowed = h.gh.checkRuns.at(-1)!;

    expect(blocked.conclusion).toBe("failure");
    expect(blocked.output.title).toBe("Inconclusive: 1 of 2 gates inconclusive");
    expect(blocked.actions.map((a) => a.identifier)).toEqual(["accept_regression"]);
    expect(allowed.conclusion).toBe("success");
    expect(h.gh.comments[0]!.body).toContain("❔ inconclusive (allowed)");
  });

  it("updates the sticky comment on a second report instead of adding one", async () => {
    h.gh.artifacts.set(RUN, reportZip(sampleReport()));
    h.gh.artifacts.set(
      RUN + 1,
      // Its deltas must agree with its metrics: the bot refuses evidence that contradicts them.
      reportZip(
        sampleReport({
          metrics: { accuracy: 0.95, f1_macro: 0.9, log_loss: 0.2 },
          deltas: {
            f1_macro: {
              delta: 0.9 - 0.8903,
              ci: [0, 0.02],
              evidence: normalEvidence(0.9 - 0.8903, 0.0067, 150),
            },
          },
        }),
      ),
    );
    const second = workflowRun();
    second.workflow_run.id = RUN + 1;

    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();
    await deliver(h.bot, "workflow_run", second);
    await h.bot.idle();

    expect(h.gh.comments).toHaveLength(1);
    expect(h.gh.comments[0]!.body).toContain("0.95");
    expect(h.gh.checkRuns.at(-1)!.conclusion).toBe("success");
  });

  it("sends more than 50 failed-gate annotations 50 per request", async () => {
    const gates = Array.from({ length: 60 }, () => "  - { metric: accuracy, min: 0.99 }").join("\n");
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG.replace(/gates:[\s\S]*$/, `gates:\n${gates}\n`));
    h.gh.artifacts.set(RUN, reportZip(sampleReport()));

    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();

    const writes = h.gh.fake.requests.filter((r) => /check-runs/.test(r.path) && r.method !== "GET");
    const sizes = writes.map(
      (r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length,
    );
    expect(sizes).toEqual([50, 10]);
    expect(h.gh.checkRuns[0]!.annotations).toHaveLength(60);
  });

  it("queues the check run when a pull request is opened", async () => {
    const payload = example("pull_request", "opened", 1);
    payload.pull_request.head.sha = HEAD;

    await deliver(h.bot, "pull_request", payload);
    await h.bot.idle();

    expect(h.gh.checkRuns.map((c) => [c.name, c.head_sha, c.status])).toEqual([
      ["modelgate", HEAD, "queued"],
    ]);
  });

  it("completes its queued check run in place and never touches another app's `modelgate` run", async () => {
    const opened = example("pull_request", "opened", 1);
    opened.pull_request.head.sha = HEAD;
    await deliver(h.bot, "pull_request", opened);
    await h.bot.idle();
    const job = { ...structuredClone(h.gh.checkRuns[0]!), id: 1, external_id: null, app: { id: 15368 } };
    h.gh.checkRuns.push(structuredClone(job));
    h.gh.artifacts.set(RUN, reportZip(sampleReport()));

    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();

    expect(h.gh.checkRuns.map((c) => [c.app.id, c.external_id, c.status])).toEqual([
      [h.gh.appId, `modelgate:${RUN}`, "completed"],
      [15368, null, "queued"],
    ]);
    const listed = h.gh.fake.requests.filter((r) => r.path.endsWith("/check-runs") && r.method === "GET");
    expect(listed.map((r) => new URLSearchParams(r.search).get("app_id"))).toEqual([String(h.gh.appId)]);
  });

  it("leaves one comment when two reports for the same PR arrive at once", async () => {
    h.gh.artifacts.set(RUN, reportZip(sampleReport()));
    h.gh.artifacts.set(RUN + 1, reportZip(sampleReport()));
    const second = workflowRun();
    second.workflow_run.id = RUN + 1;

    await Promise.all([
      deliver(h.bot, "workflow_run", workflowRun()),
      deliver(h.bot, "workflow_run", second),
    ]);
    await h.bot.idle();

    expect(h.gh.comments).toHaveLength(1);
  });

  it("finds a fork's pull request with the head=owner:branch filter when the run lists none", async () => {
    h.gh.pulls.set(1, {
      ...h.gh.pulls.get(1)!,
      head: { sha: HEAD, ref: "feature", label: "forker:feature" },
    });
    h.gh.pulls.set(2, {
      number: 2,
      state: "open",
      head: { sha: HEAD, ref: "feature" },
      base: { sha: BASE, ref: "main" },
    });
    h.gh.artifacts.set(RUN, reportZip(sampleReport()));
    const run = workflowRun("fork");
    run.workflow_run.head_branch = "feature";
    run.workflow_run.head_repository.owner.login = "forker";

    await deliver(h.bot, "workflow_run", run);
    await h.bot.idle();

    expect(h.gh.comments.map((c) => c.issue)).toEqual([1]);
    const lists = h.gh.fake.requests.filter((r) => r.path.endsWith("/pulls") && r.method === "GET");
    expect(lists.map((r) => new URLSearchParams(r.search).get("head"))).toEqual(["forker:feature"]);
    expect(JSON.parse(h.gh.checkRuns[0]!.output.text!.match(/modelgate:state (\{.*\})/)![1]!)).toEqual({
      pulls: [1],
    });
  });

  it("acknowledges the delivery before the slow work is done", async () => {
    h.gh.artifacts.set(RUN, reportZip(sampleReport()));
    const release = h.gh.hold("GET", /\/actions\/runs\/\d+\/artifacts$/);

    const status = await deliver(h.bot, "workflow_run", workflowRun());
    const commentsWhenAcknowledged = h.gh.comments.length;
    release();
    await h.bot.idle();

    expect([status, commentsWhenAcknowledged, h.gh.comments.length]).toEqual([200, 0, 1]);
  });

  it("ignores a run without a modelgate report", async () => {
    const status = await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();

    expect(status).toBe(200);
    expect(h.gh.comments).toEqual([]);
    expect(h.gh.checkRuns).toEqual([]);
  });
});
