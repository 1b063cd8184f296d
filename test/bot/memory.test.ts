import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../bot/server.js";
import { PRIVATE_KEY, SECRET, sign } from "./helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MB = 1024 * 1024;

/** Peak resident set of a process, from Linux's /proc (VmHWM), in MB. */
function peakRss(pid: number): number {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(line) / 1024;
}

/**
 * Streams `total` bytes with chunked transfer encoding, as fast as the bot reads them, and keeps
 * sending after an answer until the bot cuts the connection: the bot, not the client, must stop it.
 */
function stream(url: string, total: number) {
  return new Promise<{ status: number; sent: number }>((resolve) => {
    let sent = 0;
    let status = 0;
    const chunk = Buffer.alloc(MB, "[");
    const req = request(
      `${url}${WEBHOOK_PATH}`,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "issue_comment",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": sign("{}"),
        },
      },
      (res) => {
        status = res.statusCode ?? 0;
        res.resume();
      },
    );
    const finish = () => resolve({ status, sent });
    req.on("error", () => {});
    req.on("socket", (socket) => socket.on("close", finish));
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

// Peak memory is read from /proc (Linux only); without dist/ the bot does not start and the test fails.
const runs = process.platform === "linux";

describe.runIf(runs)("the bot process built from dist/", () => {
  let bot: ChildProcess;
  let url: string;
  beforeAll(async () => {
    bot = spawn(process.execPath, [path.join(ROOT, "bin/modelgate.js"), "bot"], {
      env: {
        PATH: process.env.PATH,
        APP_ID: "4242",
        PRIVATE_KEY,
        WEBHOOK_SECRET: SECRET,
        PORT: "0",
        HOST: "127.0.0.1",
        // Nothing here may reach GitHub; an unused address makes any attempt fail, not leak.
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      bot.stdout!.on("data", (data: Buffer) => {
        out += String(data);
        const found = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(out)?.[1];
        if (found) resolve(found);
      });
      bot.once("exit", (code) => reject(new Error(`the bot exited with ${code}: ${out}`)));
    });
  });
  afterAll(() => {
    bot.kill("SIGTERM");
  });

  it("refuses a 100 MB chunked body while it streams and stays under 200 MB of RSS", async () => {
    const before = peakRss(bot.pid!);

    const result = await stream(url, 100 * MB);
    const peak = peakRss(bot.pid!);
    const after = await fetch(`${url}/ping`);

    console.log(
      `bot VmHWM: ${before.toFixed(1)} MB before, ${peak.toFixed(1)} MB after; client sent ${(result.sent / MB).toFixed(0)} MB`,
    );
    expect(result.status).toBe(413);
    // The bot cut the connection: the client could not hand over the whole 100 MB.
    expect(result.sent).toBeLessThan(100 * MB);
    expect(peak).toBeLessThan(200);
    expect(after.status).toBe(200);
  });
});
