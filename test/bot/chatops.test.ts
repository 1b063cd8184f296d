import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMAND_ROLES } from "../../bot/commands.js";
import { atLeast, ROLES } from "../../bot/github.js";
import { sampleReport } from "../report/fixtures.js";
import { BASE, deliver, GATES_CONFIG, type Harness, HEAD, prComment, startHarness, zip } from "./helpers.js";

const RUN = 555;
const COMMANDS: Record<keyof typeof COMMAND_ROLES, string> = {
  help: "/modelgate help",
  retrain: "/modelgate retrain epochs=5",
  compare: "/modelgate compare v1.2",
  drift: "/modelgate drift",
  tune: "/modelgate tune trials=4",
  promote: "/modelgate promote",
  "accept-regression": "/modelgate accept-regression recall matters less for this release",
  verify: "/modelgate verify",
};

describe("chat-ops", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
    for (const role of ROLES) h.gh.roles.set(`u-${role}`, role);
  });
  afterEach(async () => {
    await h.close();
  });

  /** A failed modelgate check on the head, as a completed workflow run leaves it. */
  function failedCheck() {
    h.gh.artifacts.set(RUN, zip({ "report.json": JSON.stringify(sampleReport()) }));
    h.gh.checkRuns.length = 0;
    h.gh.checkRuns.push({
      id: 1,
      name: "modelgate",
      head_sha: HEAD,
      status: "completed",
      conclusion: "failure",
      external_id: `modelgate:${RUN}`,
      output: {},
      annotations: [],
      actions: [{ identifier: "accept_regression" }],
      app: { id: h.gh.appId },
    });
  }

  it("runs a command only for users with the role it needs, for every role and command", async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [name, text] of Object.entries(COMMANDS) as [keyof typeof COMMAND_ROLES, string][]) {
      for (const role of ROLES) {
        failedCheck();
        const before = { dispatches: h.gh.dispatches.length, comments: h.gh.comments.length };
        const payload = prComment(text, `u-${role}`);

        await deliver(h.bot, "issue_comment", payload);
        await h.bot.idle();

        const reactions = h.gh.reactions
          .filter((r) => r.comment === payload.comment.id)
          .map((r) => r.content);
        const replies = h.gh.comments.slice(before.comments).map((c) => c.body);
        const ran =
          h.gh.dispatches.length > before.dispatches ||
          replies.some((b) => b.includes("modelgate commands")) ||
          h.gh.checkRuns.at(-1)!.conclusion === "success";
        outcomes.push(`${name}/${role}: ${ran ? "ran" : "refused"} ${reactions.join(",")}`);
        const allowed = atLeast(role, COMMAND_ROLES[name]);
        expected.push(`${name}/${role}: ${allowed ? "ran eyes,rocket" : "refused eyes,confused"}`);
        if (!allowed) expect(replies.join("\n")).toContain(`needs the ${COMMAND_ROLES[name]} role`);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it("dispatches the base branch's configured workflow with the head SHA and parsed settings", async () => {
    h.gh.files.set(`${BASE}:modelgate.yml`, `${GATES_CONFIG}github: { workflows: { retrain: train.yml } }\n`);

    await deliver(
      h.bot,
      "issue_comment",
      prComment("/modelgate retrain epochs=5 hidden=64,32 learningRate=0.01\nthanks!", "u-write"),
    );
    await h.bot.idle();

    expect(h.gh.dispatches).toEqual([
      {
        workflow: "train.yml",
        ref: "main",
        inputs: {
          command: "retrain",
          sha: HEAD,
          pull_request: "1",
          params: JSON.stringify({ epochs: 5, learningRate: 0.01, hidden: [64, 32] }),
        },
      },
    ]);
  });

  it("refuses unknown settings without dispatching", async () => {
    const payload = prComment("/modelgate retrain epochs=5 command=rm", "u-admin");

    await deliver(h.bot, "issue_comment", payload);
    await h.bot.idle();

    expect(h.gh.dispatches).toEqual([]);
    expect(h.gh.comments.at(-1)!.body).toContain("unknown setting command");
    expect(h.gh.reactions.map((r) => r.content)).toEqual(["eyes", "confused"]);
  });

  it("fails closed when the permission API fails", async () => {
    h.gh.fail("GET", /\/collaborators\/.*\/permission$/, { status: 500, body: { message: "boom" } }, 100);

    await deliver(h.bot, "issue_comment", prComment("/modelgate promote", "u-admin"));
    await h.bot.idle();

    expect(h.gh.dispatches).toEqual([]);
    expect(h.gh.comments.at(-1)!.body).toContain("could not check your permission");
  });

  it("records the reason of an accepted regression in the check and the comment", async () => {
    failedCheck();

    await deliver(h.bot, "issue_comment", prComment(COMMANDS["accept-regression"], "u-maintain"));
    await h.bot.idle();

    const check = h.gh.checkRuns.at(-1)!;
    expect([check.conclusion, check.output.title]).toEqual([
      "success",
      "Regression accepted by u-maintain: 1 of 2 gates failed",
    ]);
    expect(check.actions).toEqual([]);
    const report = h.gh.comments.find((c) => c.body.startsWith("<!-- modelgate:report -->"))!;
    expect(report.body).toContain("recall matters less for this release");
    expect(report.body).toContain("u-maintain");
  });

  it("makes no API call for a comment that is not a command, or that a bot wrote", async () => {
    const bot = prComment("/modelgate help", "renovate[bot]");
    bot.comment.user.type = "Bot";

    await deliver(h.bot, "issue_comment", prComment("LGTM, but /modelgate help later", "u-admin"));
    await deliver(h.bot, "issue_comment", bot);
    await h.bot.idle();

    expect(h.gh.fake.requests).toEqual([]);
  });
});
