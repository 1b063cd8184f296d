import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { crc32, deflateRawSync } from "node:zlib";
import examples from "@octokit/webhooks-examples" with { type: "json" };
import { pino } from "pino";
import type { AppOptions } from "../../bot/app.js";
import { parseBotEnv } from "../../bot/env.js";
import { type BotServer, type StartOptions, startBot, WEBHOOK_PATH } from "../../bot/server.js";
import { type GitHubState, installGitHubState } from "../fake-github/github-state.js";
import { openApiChecker } from "../fake-github/openapi.js";
import { startFakeGitHub } from "../fake-github/server.js";
import { SAMPLE_CHAMPION_FILES } from "../report/fixtures.js";

export const SECRET = "test-webhook-secret-0123456789";
export const INSTALLATION = 77;
export const HEAD = "a".repeat(40);
export const BASE = "b".repeat(40);

/** A throwaway RSA key in the PKCS#1 PEM GitHub hands out, generated per test run. */
export const PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export const GATES_CONFIG = [
  "version: 1",
  "name: churn",
  "data: { train: data/train.csv, target: churned }",
  "gates:",
  "  - { metric: accuracy, min: 0.9 }",
  "  - { metric: f1_macro, maxDrop: 0.01 }",
  "",
].join("\n");

export interface Harness {
  gh: GitHubState;
  bot: BotServer;
  /** Stops the bot and the fake, then fails on any request the fake had no route for (fake.verify()). */
  close(): Promise<void>;
}

/** The real bot on a random loopback port, talking to a fake GitHub over HTTP (GHE_HOST). */
export async function startHarness(
  harness: AppOptions & Pick<StartOptions, "log" | "limits"> & { openapi?: boolean } = {},
): Promise<Harness> {
  const { openapi, ...options } = harness;
  // With `openapi`, every request and answer is held to GitHub's OpenAPI description (fake.violations).
  const fake = await startFakeGitHub(
    openapi ? { openapi: openApiChecker(), exempt: (p) => p.startsWith("/_blobs/") } : {},
  );
  const gh = installGitHubState(fake);
  const settings = await parseBotEnv({
    APP_ID: String(gh.appId),
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    PORT: "0",
    HOST: "127.0.0.1",
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
  });
  const bot = await startBot(settings, {
    ...options,
    log: options.log ?? pino({ level: process.env.BOT_LOG ?? "silent" }),
    octokit: { retryAfterBaseValue: 1, pacing: false },
  });
  seedChampion(gh, BASE);
  gh.pulls.set(1, {
    number: 1,
    state: "open",
    head: { sha: HEAD, ref: "feature" },
    base: { sha: BASE, ref: "main" },
  });
  gh.checkSuites.set(HEAD, "2020-01-01T00:00:00Z");
  return {
    gh,
    bot,
    close: async () => {
      await bot.close();
      await fake.close();
      fake.verify();
    },
  };
}

/**
 * The local registry's champion as committed at `sha` (what the bot reads through the contents API):
 * v3 of churn with sampleReport's champion files.
 */
export function seedChampion(gh: GitHubState, sha: string, files = SAMPLE_CHAMPION_FILES): void {
  const root = ".modelgate/models/churn";
  gh.files.set(`${sha}:${root}/aliases.json`, JSON.stringify({ aliases: { champion: 3 }, history: [] }));
  gh.files.set(
    `${sha}:${root}/versions/3/version.json`,
    JSON.stringify({
      name: "churn",
      version: 3,
      createdAt: "2024-04-01T00:00:00.000Z",
      metrics: {},
      files: files.map((f) => ({ ...f, size: 1 })),
    }),
  );
}

type Example = { name: string; examples: Record<string, unknown>[] };
/** Real payloads are deep; tests patch a few fields by path, where a precise type would only get in the way. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Payload = Record<string, any>;

/** A real delivery from @octokit/webhooks-examples, deep-copied so a test may patch it. */
export function example(event: string, action: string, index = 0): Payload {
  const found = (examples as unknown as Example[]).find((e) => e.name === event);
  const matching = found?.examples.filter((x) => x.action === action) ?? [];
  const chosen = matching[index];
  if (!chosen) throw new Error(`no example ${event}.${action} #${index}`);
  const copy = structuredClone(chosen) as Payload;
  if (event === "workflow_run") {
    // The run of the evaluation workflow the bot trusts (github.workflows.evaluate) on a pull request.
    Object.assign(copy.workflow_run, { path: ".github/workflows/modelgate.yml", event: "pull_request" });
  }
  // Deliveries to an app always name the installation; some examples were recorded from repository hooks.
  copy.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzc=" };
  return copy;
}

/** A PR comment delivery: the issue_comment example, turned into a comment on pull request #1. */
export function prComment(body: string, login: string): Payload {
  const payload = example("issue_comment", "created");
  payload.issue.number = 1;
  payload.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
  payload.comment.body = body;
  payload.comment.id = Math.floor(Math.random() * 1e9) + 1;
  payload.comment.user = { ...payload.comment.user, login, type: "User" };
  payload.comment.created_at = new Date().toISOString();
  payload.sender = { ...payload.sender, login, type: "User" };
  return payload;
}

export function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface DeliverOptions {
  id?: string;
  /** The signature header to send; `null` sends none. Default: a correct one. */
  signature?: string | null;
}

/** POSTs a delivery the way GitHub does; returns the HTTP status. */
export async function deliver(bot: BotServer, event: string, payload: unknown, options: DeliverOptions = {}) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": options.id ?? randomUUID(),
    "user-agent": "GitHub-Hookshot/test",
  };
  const signature = options.signature === undefined ? sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const response = await fetch(`${bot.url}${WEBHOOK_PATH}`, { method: "POST", headers, body });
  await response.text();
  return response.status;
}

/** A zip archive as upload-artifact makes one: deflated entries, sizes in the central directory. */
export function zip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
