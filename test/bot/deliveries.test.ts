import { request } from "node:http";
import { connect } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../bot/server.js";
import { WEBHOOK_LIMITS } from "../../bot/webhook.js";
import { sampleReport } from "../report/fixtures.js";
import {
  BASE,
  deliver,
  example,
  GATES_CONFIG,
  type Harness,
  HEAD,
  sign,
  startHarness,
  zip,
} from "./helpers.js";

const RUN = 5150;

function workflowRun() {
  const payload = example("workflow_run", "completed", 2);
  payload.workflow_run.id = RUN;
  payload.workflow_run.head_sha = HEAD;
  payload.workflow_run.pull_requests[0].number = 1;
  return payload;
}

/** Sends `chunks` one by one with chunked transfer encoding, stopping when the bot answers. */
function sendChunked(url: string, headers: Record<string, string>, chunks: Iterable<Buffer>) {
  return new Promise<{ status: number; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${url}${WEBHOOK_PATH}`, { method: "POST", headers }, (res) => {
      answered = true;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, sent }));
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        if (answered) return;
        const next = iterator.next();
        if (next.done) return void req.end();
        sent += next.value.length;
        if (!req.write(next.value)) return void req.once("drain", pump);
      }
    };
    pump();
  });
}

describe("deliveries", () => {
  let h: Harness;
  let logged: string;
  beforeEach(async () => {
    logged = "";
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    h = await startHarness({
      log: pino({ level: "info" }, sink),
      limits: { headersMs: 500, requestMs: 1000 },
    });
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
    h.gh.artifacts.set(RUN, zip({ "report.json": JSON.stringify(sampleReport()) }));
  });
  afterEach(async () => {
    await h.close();
  });

  const artifactLists = () => h.gh.fake.requests.filter((r) => r.path.endsWith("/artifacts")).length;

  it("runs a Redeliver again when the first attempt failed in an outage", async () => {
    // Four 500s: the first try and its three retries.
    h.gh.fail("GET", /\/actions\/runs\/\d+\/artifacts$/, { status: 500, body: { message: "down" } }, 4);

    await deliver(h.bot, "workflow_run", workflowRun(), { id: "d-1" });
    await h.bot.idle();
    const afterOutage = h.gh.checkRuns.length;
    await deliver(h.bot, "workflow_run", workflowRun(), { id: "d-1" });
    await h.bot.idle();

    expect([afterOutage, h.gh.checkRuns.length, h.gh.comments.length]).toEqual([0, 1, 1]);
  });

  it("does the work once when the same body comes under a new delivery id", async () => {
    await deliver(h.bot, "workflow_run", workflowRun(), { id: "d-1" });
    await h.bot.idle();
    await deliver(h.bot, "workflow_run", workflowRun(), { id: "d-2" });
    await h.bot.idle();

    expect([artifactLists(), h.gh.checkRuns.length, h.gh.comments.length]).toEqual([1, 1, 1]);
    expect(logged).toContain("repeated delivery: already done");
  });

  it("holds a repeat that arrives during the work, then drops it", async () => {
    const release = h.gh.hold("GET", /\/actions\/runs\/\d+\/artifacts$/);

    const statuses = [
      await deliver(h.bot, "workflow_run", workflowRun(), { id: "d-1" }),
      await deliver(h.bot, "workflow_run", workflowRun(), { id: "d-1" }),
    ];
    release();
    await h.bot.idle();

    expect(statuses).toEqual([200, 200]);
    expect([artifactLists(), h.gh.checkRuns.length]).toEqual([1, 1]);
  });

  it("runs a repeat that waited when the attempt it waited for failed", async () => {
    const release = h.gh.hold("GET", /\/actions\/runs\/\d+\/artifacts$/);
    h.gh.fail("GET", /\/actions\/runs\/\d+\/artifacts$/, { status: 500, body: { message: "down" } }, 4);

    await deliver(h.bot, "workflow_run", workflowRun(), { id: "d-1" });
    await deliver(h.bot, "workflow_run", workflowRun(), { id: "d-2" });
    release();
    await h.bot.idle();

    expect([artifactLists(), h.gh.checkRuns.length, h.gh.comments.length]).toEqual([5, 1, 1]);
  });

  it("a run counts as done only when every pull request's verdict is out", async () => {
    h.gh.pulls.set(2, { ...h.gh.pulls.get(1)!, number: 2 });
    const run = workflowRun();
    run.workflow_run.pull_requests = [{ ...run.workflow_run.pull_requests[0], number: 1 }, { number: 2 }];
    // PR 2's comment fails through every retry: the run is not done, so a Redeliver judges again.
    h.gh.fail("POST", /\/issues\/2\/comments$/, { status: 502, body: { message: "bad gateway" } }, 4);

    await deliver(h.bot, "workflow_run", run, { id: "d-1" });
    await h.bot.idle();
    await deliver(h.bot, "workflow_run", run, { id: "d-1" });
    await h.bot.idle();

    expect(h.gh.comments.map((c) => c.issue).sort()).toEqual([1, 2]);
  });

  it("refuses a chunked body past the cap while it streams, and logs no unverified byte", async () => {
    const secret = "unverified-payload-marker";
    const chunk = Buffer.alloc(1024 * 1024, `"${secret}",`);
    const chunks = (function* () {
      for (let i = 0; i < 40; i++) yield chunk;
    })();

    const { status, sent } = await sendChunked(
      h.bot.url,
      {
        "content-type": "application/json",
        "x-github-event": "issue_comment",
        "x-github-delivery": "d-big",
        "x-hub-signature-256": sign("{}"),
      },
      chunks,
    );
    const forged = await deliver(h.bot, "issue_comment", { secret }, { signature: sign("{}") });

    expect(status).toBe(413);
    expect(sent).toBeLessThan(40 * chunk.length);
    expect(sent).toBeGreaterThan(WEBHOOK_LIMITS.bodyBytes);
    expect(forged).toBe(400);
    expect(logged).toContain("signature does not match");
    expect(logged).not.toContain(secret);
    expect(h.gh.fake.requests).toEqual([]);
  });

  it("answers 408 to headers that never end and to a body that stalls", async () => {
    const slow = async (text: string) => {
      const socket = connect(h.bot.port, "127.0.0.1");
      socket.write(text);
      let answer = "";
      for await (const chunk of socket) answer += String(chunk);
      return answer.split("\r\n")[0];
    };
    const headers = [
      `POST ${WEBHOOK_PATH} HTTP/1.1`,
      "host: bot",
      "x-github-event: issue_comment",
      "x-github-delivery: d-slow",
      `x-hub-signature-256: ${sign("{}")}`,
    ].join("\r\n");

    const answers = [
      await slow(`${headers}\r\n`),
      await slow(`${headers}\r\ntransfer-encoding: chunked\r\n\r\n1\r\n{\r\n`),
    ];

    expect(answers).toEqual(["HTTP/1.1 408 Request Timeout", "HTTP/1.1 408 Request Timeout"]);
    expect(h.gh.fake.requests).toEqual([]);
  });

  it("refuses a delivery without its GitHub headers before reading it", async () => {
    const response = await fetch(`${h.bot.url}${WEBHOOK_PATH}`, { method: "POST", body: "{}" });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain("x-github-event");
  });
});
