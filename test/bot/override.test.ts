import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUTTON_REASON } from "../../bot/override.js";
import { sampleReport } from "../report/fixtures.js";
import { BASE, deliver, example, GATES_CONFIG, type Harness, HEAD, startHarness, zip } from "./helpers.js";

const RUN = 9001;

describe("the Accept regression button", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
    h.gh.artifacts.set(RUN, zip({ "report.json": JSON.stringify(sampleReport()) }));
    h.gh.roles.set("u-maintain", "maintain");
    h.gh.roles.set("u-write", "write");
    const run = example("workflow_run", "completed", 2);
    Object.assign(run.workflow_run, { id: RUN, head_sha: HEAD });
    run.workflow_run.pull_requests[0].number = 1;
    await deliver(h.bot, "workflow_run", run);
    await h.bot.idle();
  });
  afterEach(async () => {
    await h.close();
  });

  function checkRunEvent(action: "requested_action" | "rerequested", login: string) {
    const payload = example("check_run", action);
    const ours = h.gh.checkRuns.at(-1)!;
    Object.assign(payload.check_run, {
      id: ours.id,
      name: "modelgate",
      head_sha: HEAD,
      external_id: ours.external_id,
      app: { ...payload.check_run.app, id: h.gh.appId },
    });
    payload.check_run.pull_requests = [{ ...payload.check_run.pull_requests[0], number: 1 }];
    if (action === "requested_action") payload.requested_action = { identifier: "accept_regression" };
    payload.sender = { ...payload.sender, login };
    return payload;
  }

  it("turns the check green for a maintainer and records why", async () => {
    expect(h.gh.checkRuns[0]!.conclusion).toBe("failure");

    await deliver(h.bot, "check_run", checkRunEvent("requested_action", "u-maintain"));
    await h.bot.idle();

    const check = h.gh.checkRuns.at(-1)!;
    expect([check.conclusion, check.output.title]).toEqual([
      "success",
      "Regression accepted by u-maintain: 1 of 2 gates failed",
    ]);
    expect(check.output.summary).toContain("Regression accepted");
    expect(h.gh.comments).toHaveLength(1);
    expect(h.gh.comments[0]!.body).toContain(BUTTON_REASON);
  });

  it("finds a fork's pull request, which GitHub does not list, in what the check run recorded", async () => {
    const press = checkRunEvent("requested_action", "u-maintain");
    press.check_run.pull_requests = [];

    await deliver(h.bot, "check_run", press);
    await h.bot.idle();

    expect(h.gh.checkRuns.at(-1)!.conclusion).toBe("success");
    expect(h.gh.comments.map((c) => c.issue)).toEqual([1]);
    expect(h.gh.comments[0]!.body).toContain(BUTTON_REASON);
    expect(h.gh.fake.requests.some((r) => r.method === "GET" && r.path.endsWith("/pulls"))).toBe(false);
  });

  it("refuses anyone below maintain and leaves the check failed", async () => {
    await deliver(h.bot, "check_run", checkRunEvent("requested_action", "u-write"));
    await h.bot.idle();

    expect(h.gh.checkRuns.map((c) => c.conclusion)).toEqual(["failure"]);
    expect(h.gh.comments.at(-1)!.body).toBe(
      "@u-write accepting a regression needs the maintain role on this repository; you have write. The check stays failed.",
    );
  });

  it("an inconclusive gate is accepted like a failed one", async () => {
    // f1_macro dropped 0.0191 with a 95% upper bound of ~0.03: within 0.025, but not surely.
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG.replace("maxDrop: 0.01", "maxDrop: 0.025"));
    await deliver(h.bot, "check_run", checkRunEvent("rerequested", "u-write"));
    await h.bot.idle();
    const unsure = structuredClone(h.gh.checkRuns.at(-1)!);

    await deliver(h.bot, "check_run", checkRunEvent("requested_action", "u-maintain"));
    await h.bot.idle();

    expect([unsure.conclusion, unsure.output.title]).toEqual([
      "failure",
      "Inconclusive: 1 of 2 gates inconclusive",
    ]);
    expect(unsure.actions.map((a) => a.identifier)).toEqual(["accept_regression"]);
    // Each verdict is a new check run (GitHub only appends annotations): the newest is the accept.
    expect([h.gh.checkRuns.at(-1)!.conclusion, h.gh.checkRuns.at(-1)!.output.title]).toEqual([
      "success",
      "Regression accepted by u-maintain: Inconclusive: 1 of 2 gates inconclusive",
    ]);
  });

  it("re-evaluates on re-run with the base branch's gates as they are now, in a new check run", async () => {
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG.replace("maxDrop: 0.01", "maxDrop: 0.05"));

    await deliver(h.bot, "check_run", checkRunEvent("rerequested", "u-write"));
    await h.bot.idle();

    // GitHub only appends annotations: the judged run keeps its one, the new run has none.
    expect(
      h.gh.checkRuns.map((c) => [c.conclusion, c.external_id, c.annotations.length, c.actions.length]),
    ).toEqual([
      ["failure", `modelgate:${RUN}`, 1, 1],
      ["success", `modelgate:${RUN}`, 0, 0],
    ]);
    expect(h.gh.comments).toHaveLength(1);
  });

  it("replaces the annotations on a re-run instead of adding them again", async () => {
    await deliver(h.bot, "check_run", checkRunEvent("rerequested", "u-write"));
    await h.bot.idle();

    expect(h.gh.checkRuns.map((c) => [c.conclusion, c.annotations.length])).toEqual([
      ["failure", 1],
      ["failure", 1],
    ]);
  });

  it("ignores a Re-run by someone without write", async () => {
    h.gh.roles.set("u-read", "read");
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG.replace("maxDrop: 0.01", "maxDrop: 0.05"));

    await deliver(h.bot, "check_run", checkRunEvent("rerequested", "u-read"));
    await h.bot.idle();

    expect(h.gh.checkRuns.map((c) => c.conclusion)).toEqual(["failure"]);
    expect(h.gh.fake.requests.filter((r) => r.method !== "GET" && /check-runs/.test(r.path))).toHaveLength(1);
  });

  it("keeps a maintainer's accept through a Re-run", async () => {
    await deliver(h.bot, "check_run", checkRunEvent("requested_action", "u-maintain"));
    await h.bot.idle();

    await deliver(h.bot, "check_run", checkRunEvent("rerequested", "u-write"));
    await h.bot.idle();

    const last = h.gh.checkRuns.at(-1)!;
    expect(h.gh.checkRuns).toHaveLength(3);
    expect([last.conclusion, last.output.title]).toEqual([
      "success",
      "Regression accepted by u-maintain: 1 of 2 gates failed",
    ]);
  });

  it("leaves alone a check run called modelgate that another app made", async () => {
    const actionsJob = { ...h.gh.checkRuns[0]!, id: 5, app: { id: 15368 }, external_id: "f2a1" };
    h.gh.checkRuns.unshift(actionsJob);
    const press = checkRunEvent("requested_action", "u-maintain");
    Object.assign(press.check_run, { id: 5, external_id: "f2a1", app: { id: 15368 } });

    await deliver(h.bot, "check_run", press);
    await h.bot.idle();

    expect(h.gh.checkRuns.map((c) => [c.id === 5, c.conclusion])).toEqual([
      [true, "failure"],
      [false, "failure"],
    ]);
    expect(h.gh.comments).toHaveLength(1);
  });
});
