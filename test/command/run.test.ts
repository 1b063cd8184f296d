import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fillPlaceholders, resolveParams, runCommand } from "../../core/command/index.js";
import { ParamSpecs } from "../../core/config/command.js";
import { ModelConfig } from "../../core/config/schema.js";
import { UserError } from "../../core/errors.js";
import { memoryLogger } from "../../core/ports.js";
import { tempDir } from "../helpers/temp.js";

const values = { train: "data/train.csv", test: "data/test.csv", out: "/tmp/out", target: "churned" };

async function request(script: string, timeoutMs = 20_000) {
  const dir = await tempDir("mg-command-");
  const out = path.join(dir, "out");
  const { mkdir } = await import("node:fs/promises");
  await mkdir(out);
  const logger = memoryLogger();
  return {
    dir,
    out,
    logger,
    run: () =>
      runCommand({
        command: [process.execPath, "-e", script, "{out}", "{param.lr}"],
        cwd: dir,
        values: { ...values, out },
        params: { lr: 0.01, deep: true },
        timeoutMs,
        graceMs: 300,
        env: { PATH: process.env.PATH },
        logger,
      }),
  };
}

/** A process that still runs: neither gone nor a zombie waiting for a parent that may never reap it. */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat !== "" && !/^\d+ \(.*\) Z/.test(stat);
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe("model.command placeholders", () => {
  it("fill whole arguments only", () => {
    const argv = fillPlaceholders(
      [
        "python3",
        "train.py",
        "--data",
        "{train}",
        "{test}",
        "{out}",
        "{target}",
        "{param.lr}",
        "{params}",
        "x{y}",
      ],
      values,
      { lr: 0.5, kind: "a b" },
    );

    expect(argv).toEqual([
      "python3",
      "train.py",
      "--data",
      "data/train.csv",
      "data/test.csv",
      "/tmp/out",
      "churned",
      "0.5",
      '{"lr":0.5,"kind":"a b"}',
      "x{y}",
    ]);
  });

  it("refuse a placeholder inside a longer argument, an unknown one and an undeclared param", () => {
    const fill = (arg: string) => () => fillPlaceholders(["prog", arg], values, { lr: 1 });

    expect(fill("--data={train}")).toThrow(/embeds a placeholder; placeholders fill whole arguments only/);
    expect(fill("{data}")).toThrow("unknown placeholder {data}; expected one of {train}, {test}, {out}");
    expect(fill("{param.epochs}")).toThrow('{param.epochs}: model.params declares no "epochs"');
    expect(() => fillPlaceholders(["prog", "{test}"], { ...values, test: undefined }, {})).toThrow(
      "{test} has no value: the config sets no data.test",
    );
  });
});

describe("model.params", () => {
  const specs = ParamSpecs.parse({
    epochs: { type: "integer", default: 10, min: 1, max: 1000 },
    lr: { type: "number", default: 0.01, min: 0 },
    deep: { type: "boolean", default: false },
    solver: { type: "string", values: ["adam", "sgd"], default: "adam" },
  });

  it("start from the declared defaults and take typed overrides, text included", () => {
    expect(resolveParams(specs, { epochs: "30", lr: 0.5, deep: "true", solver: "sgd" })).toEqual({
      epochs: 30,
      lr: 0.5,
      deep: true,
      solver: "sgd",
    });
    expect(resolveParams(specs, {})).toEqual({ epochs: 10, lr: 0.01, deep: false, solver: "adam" });
  });

  it("refuse undeclared names, wrong types and values out of bounds, naming the bound", () => {
    const refused = (given: Record<string, unknown>) => () => resolveParams(specs, given);

    expect(refused({ command: "rm" })).toThrow(
      "command: not a param the config declares (declared: epochs, lr, deep, solver)",
    );
    expect(refused({ epochs: "5000" })).toThrow("epochs: at most 1000.");
    expect(refused({ epochs: "2.5" })).toThrow("epochs: expected a whole number");
    expect(refused({ lr: "-1" })).toThrow("lr: at least 0.");
    expect(refused({ lr: "1; rm -rf /" })).toThrow("lr: expected a number");
    expect(refused({ solver: "lbfgs" })).toThrow("solver: expected one of adam, sgd");
    expect(refused({ deep: "yes" })).toThrow("deep: expected true or false");
  });

  it("are refused in the config when a default breaks its own bounds or free text is asked for", () => {
    expect(ModelConfig.safeParse({ params: { e: { type: "integer", default: 0, min: 1 } } }).success).toBe(
      false,
    );
    expect(ModelConfig.safeParse({ params: { s: { type: "string", default: "x" } } }).success).toBe(false);
    expect(
      ModelConfig.safeParse({
        command: ["python3", "train.py"],
        params: { e: { type: "boolean", default: true } },
      }).success,
    ).toBe(true);
  });
});

describe("runCommand", () => {
  it("runs the argv with the values in the environment and streams its output", async () => {
    const { out, logger, run } = await request(`
      const fs = require("node:fs");
      console.log("epoch 1 loss 0.5");
      console.error("a warning");
      fs.writeFileSync(process.argv[1] + "/env.json", JSON.stringify({
        argv: process.argv.slice(1),
        train: process.env.MODELGATE_TRAIN, out: process.env.MODELGATE_OUT, target: process.env.MODELGATE_TARGET,
        lr: process.env.MODELGATE_PARAM_LR, deep: process.env.MODELGATE_PARAM_DEEP, params: process.env.MODELGATE_PARAMS,
      }));`);

    const result = await run();

    expect(result.argv.slice(-2)).toEqual([out, "0.01"]);
    expect(JSON.parse(await readFile(path.join(out, "env.json"), "utf8"))).toEqual({
      argv: [out, "0.01"],
      train: "data/train.csv",
      out,
      target: "churned",
      lr: "0.01",
      deep: "true",
      params: '{"lr":0.01,"deep":true}',
    });
    expect(logger.lines).toContain("info: epoch 1 loss 0.5");
    expect(logger.lines).toContain("info: a warning");
  });

  it("refuses a program that exits non-zero, with its last lines", async () => {
    const { run } = await request(`console.error("no such column: churn"); process.exit(3)`);

    const error = await failure(run());

    expect(error.message).toMatch(/exited with code 3; its last lines:\n {2}no such column: churn$/);
    expect(error.location.field).toBe("model.command");
  });

  it("stops a program that runs past the timeout, and its children that ignore SIGTERM", async () => {
    const { out, run } = await request(
      `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: "ignore" });
      require("node:fs").writeFileSync(process.argv[1] + "/child.pid", String(child.pid));
      setInterval(() => {}, 1000);`,
      1500,
    );

    const error = await failure(run());
    const pid = Number(await readFile(path.join(out, "child.pid"), "utf8"));
    await new Promise((r) => setTimeout(r, 300));

    expect(error.message).toMatch(/did not finish within 1.5 s; it was stopped/);
    expect(error.location.field).toBe("model.timeout");
    expect(await alive(pid)).toBe(false);
  });

  it("refuses a program that writes nothing, and one that cannot start", async () => {
    const { out, run } = await request(`console.log("done")`);
    const missing = () =>
      runCommand({
        command: ["no-such-program-here"],
        cwd: tmpdir(),
        values,
        params: {},
        timeoutMs: 5000,
        env: { PATH: process.env.PATH },
        logger: memoryLogger(),
      });

    const empty = await failure(run());
    const absent = await failure(missing());

    expect(await readdir(out)).toEqual([]);
    expect(empty.message).toContain(`exited 0 but wrote nothing to ${out} (the {out} folder)`);
    expect(absent.message).toBe('cannot run "no-such-program-here": no such program');
  });
});
