import { deflateRawSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_ZIP_BYTES } from "../../bot/artifact.js";
import { sampleReport } from "../report/fixtures.js";
import {
  BASE,
  deliver,
  example,
  GATES_CONFIG,
  type Harness,
  HEAD,
  prComment,
  sign,
  startHarness,
  zip,
} from "./helpers.js";

const RUN = 4242;

function workflowRun() {
  const payload = example("workflow_run", "completed", 2);
  payload.workflow_run.id = RUN;
  payload.workflow_run.head_sha = HEAD;
  payload.workflow_run.pull_requests[0].number = 1;
  return payload;
}

describe("deliveries", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.gh.roles.set("u-admin", "admin");
  });
  afterEach(async () => {
    await h.close();
  });

  it("refuses forged and unsigned deliveries without a single API call", async () => {
    const payload = prComment("/modelgate promote", "u-admin");
    const body = JSON.stringify(payload);

    const statuses = [
      await deliver(h.bot, "issue_comment", payload, { signature: null }),
      await deliver(h.bot, "issue_comment", payload, { signature: sign(body, "guessed-secret-123") }),
      await deliver(h.bot, "issue_comment", payload, { signature: sign(`${body} `) }),
      await deliver(h.bot, "issue_comment", payload, { signature: "sha256=00" }),
    ];
    await h.bot.idle();

    expect(statuses).toEqual([400, 400, 400, 400]);
    expect(h.gh.fake.requests).toEqual([]);
  });

  it("does the work of a redelivered delivery once", async () => {
    const payload = example("pull_request", "opened", 1);
    payload.pull_request.head.sha = HEAD;

    const first = await deliver(h.bot, "pull_request", payload, { id: "delivery-1" });
    const again = await deliver(h.bot, "pull_request", payload, { id: "delivery-1" });
    await h.bot.idle();

    expect([first, again]).toEqual([200, 200]);
    expect(h.gh.checkRuns.map((c) => [c.head_sha, c.status, c.output.title])).toEqual([
      [HEAD, "queued", "Waiting for the modelgate workflow"],
    ]);
  });
});

describe("a hostile report artifact", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
  });
  afterEach(async () => {
    await h.close();
  });

  async function judge(artifact: Buffer) {
    h.gh.artifacts.set(RUN, artifact);
    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();
    const check = h.gh.checkRuns[0]!;
    return {
      conclusion: check.conclusion,
      comment: h.gh.comments[0]?.body ?? "",
      summary: check.output.summary ?? "",
    };
  }

  it("is rendered inert: no mention, no HTML, no link", async () => {
    const hostile =
      "@everyone <img src=x onerror=alert(1)> [click](https://evil.example) ![x](https://evil.example/x.png)";
    const report = sampleReport({
      model: "churn @everyone",
      data: { ...sampleReport().data, changes: [hostile] },
    });

    const result = await judge(zip({ "report.json": JSON.stringify(report) }));

    expect(result.conclusion).toBe("failure");
    for (const text of [result.comment, result.summary]) {
      expect(text).toContain("@&#8203;everyone");
      expect(text).not.toMatch(/@everyone|<img|\]\(https|https:\/\//);
    }
  });

  it("judges a report whose metric keys are constructor and __proto__, and breaks #123 references", async () => {
    const report = sampleReport({ data: { ...sampleReport().data, changes: ["closes #123 and GH-9"] } });
    const text = JSON.stringify(report).replace(
      '"metrics":{',
      '"metrics":{"constructor":0.5,"__proto__":{"polluted":1},"toString":0.25,',
    );
    h.gh.artifacts.set(RUN, zip({ "report.json": text }));

    await deliver(h.bot, "workflow_run", workflowRun());
    await h.bot.idle();

    const check = h.gh.checkRuns[0]!;
    const comment = h.gh.comments[0]?.body ?? "";
    expect([check.status, check.conclusion]).toEqual(["completed", "failure"]);
    expect(comment).toContain("constructor");
    expect(comment).toContain("&#35;&#8203;123");
    expect(comment).toContain("GH&#8203;-9");
    expect(comment).not.toMatch(/#123|GH-9/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("fails the check when report.json does not match the schema", async () => {
    const result = await judge(zip({ "report.json": JSON.stringify({ ...sampleReport(), version: 2 }) }));

    expect(result.conclusion).toBe("failure");
    expect(result.comment).toContain("invalid report");
    expect(result.comment).toContain("version");
  });

  it("refuses an artifact over the size cap without downloading it", async () => {
    const result = await judge(Buffer.alloc(MAX_ZIP_BYTES + 1));

    expect(result.conclusion).toBe("failure");
    expect(result.comment).toContain("more than the");
    expect(h.gh.fake.requests.some((r) => r.path.startsWith("/_blobs/"))).toBe(false);
  });

  it("stops a zip bomb at the cap, whatever its headers claim", async () => {
    const packed = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    // Same archive layout, with the small entry's data swapped for 64 MiB of deflated spaces.
    const forged = forgeEntry(zip({ "report.json": Buffer.alloc(0) }), packed);

    const result = await judge(forged);

    expect(result.conclusion).toBe("failure");
    expect(result.comment).toContain("inflates to more than");
  });

  it("refuses something that is not a zip", async () => {
    const result = await judge(Buffer.from("PK? not really"));

    expect(result.conclusion).toBe("failure");
    expect(result.comment).toContain("not a zip archive");
  });
});

/** Rebuilds a one-entry zip whose entry data is `packed` while the headers still claim 0 bytes. */
function forgeEntry(template: Buffer, packed: Buffer): Buffer {
  const nameLength = template.readUInt16LE(26);
  const local = Buffer.from(template.subarray(0, 30 + nameLength));
  local.writeUInt32LE(packed.length, 18);
  const centralStart = 30 + nameLength + template.readUInt32LE(18);
  const central = Buffer.from(template.subarray(centralStart, centralStart + 46 + nameLength));
  central.writeUInt32LE(packed.length, 20);
  const end = Buffer.from(template.subarray(template.length - 22));
  end.writeUInt32LE(local.length + packed.length, 16);
  return Buffer.concat([local, packed, central, end]);
}
