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
    expect(h.gh.fake.unmatched()).toEqual([]);
    await h.close();
  });

  function checkRunEvent(action: "requested_action" | "rerequested", login: string) {
    const payload = example("check_run", action);
    Object.assign(payload.check_run, {
      id: h.gh.checkRuns[0]!.id,
      name: "modelgate",
      head_sha: HEAD,
      external_id: String(RUN),
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

    const check = h.gh.checkRuns[0]!;
    expect([check.conclusion, check.output.title]).toEqual([
      "success",
      "Regression accepted by u-maintain: 1 of 2 gates failed",
    ]);
    expect(check.output.summary).toContain("Regression accepted");
    expect(h.gh.comments).toHaveLength(1);
    expect(h.gh.comments[0]!.body).toContain(BUTTON_REASON);
  });

  it("refuses anyone below maintain and leaves the check failed", async () => {
    await deliver(h.bot, "check_run", checkRunEvent("requested_action", "u-write"));
    await h.bot.idle();

    expect(h.gh.checkRuns[0]!.conclusion).toBe("failure");
    expect(h.gh.comments.at(-1)!.body).toBe(
      "@u-write accepting a regression needs the maintain role on this repository; you have write. The check stays failed.",
    );
  });

  it("re-evaluates on re-run with the base branch's gates as they are now", async () => {
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG.replace("maxDrop: 0.01", "maxDrop: 0.05"));

    await deliver(h.bot, "check_run", checkRunEvent("rerequested", "u-write"));
    await h.bot.idle();

    expect(h.gh.checkRuns[0]!.conclusion).toBe("success");
    expect(h.gh.checkRuns[0]!.actions).toEqual([]);
    expect(h.gh.comments).toHaveLength(1);
  });
});
