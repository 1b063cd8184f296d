import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseQueueBranch } from "../../bot/merge-queue.js";
import { REPORT_MARKER } from "../../core/report/index.js";
import { sampleReport } from "../report/fixtures.js";
import {
  BASE,
  deliver,
  example,
  GATES_CONFIG,
  type Harness,
  HEAD,
  prComment,
  startHarness,
  zip,
} from "./helpers.js";

const RUN = 7001;
const GROUP = "d".repeat(40);
const MAIN = "e".repeat(40);

/** A completed run of the modelgate workflow that the bot dispatched (it runs on main, lists no PRs). */
function dispatchedRun() {
  const payload = example("workflow_run", "completed", 2);
  Object.assign(payload.workflow_run, {
    id: RUN,
    event: "workflow_dispatch",
    head_sha: MAIN,
    head_branch: "main",
    pull_requests: [],
  });
  return payload;
}

describe("chat-ops: race-free commands, reports back to their pull request, merge queue", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
    h.gh.roles.set("writer", "write");
    h.gh.roles.set("boss", "maintain");
  });
  afterEach(async () => {
    await h.close();
  });

  it("refuses a command when the head arrived after the comment, and dispatches the checked SHA otherwise", async () => {
    const comment = prComment("/modelgate promote", "boss");
    // The head was pushed a minute after the comment was written.
    h.gh.checkSuites.set(HEAD, new Date(Date.parse(comment.comment.created_at) + 60_000).toISOString());

    await deliver(h.bot, "issue_comment", comment);
    await h.bot.idle();

    expect(h.gh.dispatches).toEqual([]);
    expect(h.gh.comments.at(-1)!.body).toContain("the head moved to aaaaaaa after your comment");
    expect(h.gh.reactions.map((r) => r.content)).toEqual(["eyes", "confused"]);

    h.gh.checkSuites.set(HEAD, new Date(Date.parse(comment.comment.created_at) - 60_000).toISOString());
    await deliver(h.bot, "issue_comment", prComment("/modelgate promote", "boss"));
    await h.bot.idle();

    expect(h.gh.dispatches.map((d) => [d.workflow, d.inputs.sha, d.inputs.pull_request])).toEqual([
      ["modelgate-release.yml", HEAD, "1"],
    ]);
  });

  it("refuses a command when the head was force-pushed back to an older commit after the comment", async () => {
    const comment = prComment("/modelgate accept-regression it is fine", "boss");
    comment.comment.created_at = new Date(Date.now() - 60_000).toISOString();
    // HEAD's suite is old (it was the head once before), but it came back by a force-push just now.
    h.gh.issueEvents.push(
      { issue: 2, event: "head_ref_force_pushed", created_at: new Date().toISOString() },
      { issue: 1, event: "labeled", created_at: new Date().toISOString() },
      { issue: 1, event: "head_ref_force_pushed", created_at: new Date(Date.now() - 120_000).toISOString() },
    );
    await deliver(h.bot, "issue_comment", comment);
    await h.bot.idle();
    expect(h.gh.comments.at(-1)!.body).not.toContain("force-pushed");

    h.gh.issueEvents.push({ issue: 1, event: "head_ref_force_pushed", created_at: new Date().toISOString() });
    // The same words in a new comment: a delivery of the first one again is done work (bot/work.ts).
    await deliver(h.bot, "issue_comment", {
      ...comment,
      comment: { ...comment.comment, id: comment.comment.id + 1 },
    });
    await h.bot.idle();

    expect(h.gh.comments.at(-1)!.body).toContain("the head was force-pushed to aaaaaaa after your comment");
    expect(h.gh.checkRuns).toEqual([]);
  });

  it("refuses when GitHub has no record of the head's arrival yet", async () => {
    h.gh.checkSuites.clear();

    await deliver(h.bot, "issue_comment", prComment("/modelgate retrain", "writer"));
    await h.bot.idle();

    expect(h.gh.dispatches).toEqual([]);
    expect(h.gh.comments.at(-1)!.body).toContain("no record yet of when aaaaaaa");
  });

  it("refuses over-large settings with the bound, before anything is dispatched", async () => {
    for (const text of [
      "epochs=100000000",
      "hidden=4096,4096",
      "hidden=8,8,8,8,8,8,8,8,8",
      "batchSize=100000",
    ]) {
      await deliver(h.bot, "issue_comment", prComment(`/modelgate retrain ${text}`, "writer"));
    }
    await deliver(h.bot, "issue_comment", prComment("/modelgate tune trials=5000", "writer"));
    await h.bot.idle();

    expect(h.gh.dispatches).toEqual([]);
    expect(h.gh.comments.map((c) => c.body.replace(/^@writer /, ""))).toEqual([
      "`/modelgate retrain` did not run: epochs: at most 1000.",
      "`/modelgate retrain` did not run: hidden.0: at most 1024 units a layer.",
      "`/modelgate retrain` did not run: hidden: at most 8 layers.",
      "`/modelgate retrain` did not run: batchSize: at most 65536.",
      "`/modelgate tune` did not run: trials: at most 1000.",
    ]);
  });

  it("reports a dispatched run to the pull request its report names, while that SHA is the head", async () => {
    const report = sampleReport({
      pullRequest: { number: 1, sha: HEAD, command: "retrain" },
      run: { ...sampleReport().run!, commit: HEAD },
    });
    h.gh.artifacts.set(RUN, zip({ "report.json": JSON.stringify(report) }));

    await deliver(h.bot, "workflow_run", dispatchedRun());
    await h.bot.idle();

    expect(h.gh.comments.map((c) => [c.issue, c.body.startsWith(REPORT_MARKER)])).toEqual([[1, true]]);
    expect(h.gh.checkRuns.map((c) => [c.head_sha, c.status, c.external_id])).toEqual([
      [HEAD, "completed", `modelgate:${RUN}`],
    ]);
  });

  it("says a dispatched run is outdated when the pull request moved on, and changes nothing", async () => {
    const old = "f".repeat(40);
    const report = sampleReport({
      pullRequest: { number: 1, sha: old, command: "compare" },
      run: { ...sampleReport().run!, commit: old },
    });
    h.gh.artifacts.set(RUN, zip({ "report.json": JSON.stringify(report) }));

    await deliver(h.bot, "workflow_run", dispatchedRun());
    await h.bot.idle();

    expect(h.gh.checkRuns).toEqual([]);
    expect(h.gh.comments.map((c) => c.body)).toEqual([
      `The \`/modelgate compare\` run ${RUN} finished for fffffff, but this pull request's head is now aaaaaaa: that result is outdated, so the report and the check were left as they were.`,
    ]);
  });

  it("ignores a dispatched run whose report evaluated another commit than the one it names", async () => {
    const report = sampleReport({
      pullRequest: { number: 1, sha: HEAD, command: "retrain" },
      run: { ...sampleReport().run!, commit: "f".repeat(40) },
    });
    h.gh.artifacts.set(RUN, zip({ "report.json": JSON.stringify(report) }));

    await deliver(h.bot, "workflow_run", dispatchedRun());
    await h.bot.idle();

    expect([h.gh.checkRuns, h.gh.comments]).toEqual([[], []]);
  });

  it("queues the check on a merge group's commit and judges its run with the base branch's gates", async () => {
    const requested = example("merge_group", "checks_requested");
    requested.merge_group.head_sha = GROUP;
    await deliver(h.bot, "merge_group", requested);
    await h.bot.idle();
    expect(h.gh.checkRuns.map((c) => [c.head_sha, c.status])).toEqual([[GROUP, "queued"]]);

    // The group's own report says it passed with no gates; main's gates decide.
    h.gh.files.set("refs/heads/main:modelgate.yml", GATES_CONFIG);
    h.gh.artifacts.set(
      RUN,
      zip({ "report.json": JSON.stringify(sampleReport({ passed: true, gates: [] })) }),
    );
    const run = example("workflow_run", "completed", 2);
    Object.assign(run.workflow_run, {
      id: RUN,
      event: "merge_group",
      head_sha: GROUP,
      head_branch: `gh-readonly-queue/main/pr-1-${HEAD}`,
      pull_requests: [],
    });
    await deliver(h.bot, "workflow_run", run);
    await h.bot.idle();

    expect(h.gh.checkRuns.map((c) => [c.head_sha, c.status, c.conclusion])).toEqual([
      [GROUP, "completed", "failure"],
    ]);
    expect(h.gh.checkRuns[0]!.output.summary).toContain("at base main");
    expect(h.gh.comments).toEqual([]);
  });

  it("reads the base and the pull request of a merge queue branch", () => {
    expect(parseQueueBranch(`gh-readonly-queue/main/pr-104-${HEAD}`)).toEqual({ base: "main", number: 104 });
    expect(parseQueueBranch(`refs/heads/gh-readonly-queue/release/2.x/pr-7-${HEAD}`)).toEqual({
      base: "release/2.x",
      number: 7,
    });
    expect(parseQueueBranch("feature")).toBeUndefined();
  });
});
