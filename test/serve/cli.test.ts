import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveCommand } from "../../cli/commands/serve.js";
import type { Context } from "../../cli/context.js";
import { UserError } from "../../core/errors.js";
import { memoryLogger } from "../../core/ports.js";
import { instances, post, removeAll, trainModels } from "./helpers.js";

let root: string;

beforeAll(async () => {
  ({ root } = await trainModels());
});

afterAll(async () => {
  await removeAll(root);
});

function context(cwd: string): Context & { out: () => string } {
  let stdout = "";
  return {
    io: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env: {}, cwd },
    logger: memoryLogger(),
    json: false,
    configFile: undefined,
    out: () => stdout,
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe("modelgate serve", () => {
  it("prints the URL and curl lines, serves, reloads on SIGHUP and stops on SIGTERM", async () => {
    const ctx = context(root);
    const flags = { model: "classifier", port: "0", name: "churn" };

    const running = serveCommand.run([], flags, ctx);
    await until(() => ctx.out().includes("serving"));
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(ctx.out())?.[1] ?? "";
    const response = await post(`${url}/v1/models/churn:predict`, { instances });
    process.emit("SIGHUP");
    await until(() =>
      (ctx.logger as ReturnType<typeof memoryLogger>).lines.some((l) => l.includes("version 2")),
    );
    process.emit("SIGTERM");
    const code = await running;

    expect(code).toBe(0);
    expect(response.status).toBe(200);
    expect(ctx.out()).toContain(`curl -s ${url}/v1/models/churn:predict -d '{"instances":[{"a":`);
    expect((ctx.logger as ReturnType<typeof memoryLogger>).lines).toContain(
      "info: reloaded classifier: version 2",
    );
    expect(process.listenerCount("SIGHUP")).toBe(0);
  });

  it("asks for --model and a port in range", async () => {
    const missing = await serveCommand.run([], {}, context(root)).catch((e: unknown) => e);
    const badPort = await serveCommand
      .run([], { model: "classifier", port: "70000" }, context(root))
      .catch((e: unknown) => e);

    expect((missing as UserError).location.field).toBe("--model");
    expect(badPort).toBeInstanceOf(UserError);
    expect((badPort as UserError).location.field).toBe("--port");
  });
});
