import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseParams } from "../../actions/train/run.js";
import { parseTrials } from "../../actions/tune/run.js";
import { LOCAL_COMMANDS } from "../../bot/chatops.js";
import {
  COMMANDS,
  type CommandName,
  commandTable,
  dispatchInputs,
  HELP,
  parseCommand,
  withCommandTable,
} from "../../bot/commands.js";
import { GithubConfig } from "../../core/config/schema.js";
import { repoRoot } from "../helpers/action.js";

const SHA = "c".repeat(40);
/** A full use of each command (every setting given), so every input it can send is sent. */
const SAMPLES: Partial<Record<CommandName, string>> = {
  retrain: "epochs=5 learningRate=0.01 batchSize=64 hidden=32,16 dropout=0.1 seed=7",
  compare: "v1",
  tune: "trials=3",
  "accept-regression": "recall matters less here",
};
const names = Object.keys(COMMANDS) as CommandName[];

function parsed(name: CommandName) {
  const result = parseCommand(`/modelgate ${name} ${SAMPLES[name] ?? ""}`.trim());
  if (!result?.ok) throw new Error(`the sample of ${name} does not parse: ${JSON.stringify(result)}`);
  return result.command;
}

type Workflow = {
  on: { workflow_dispatch?: { inputs?: Record<string, { required?: boolean; default?: unknown }> } };
  jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
};

/** examples/workflows/*.yml by the name each says to save it as (`.github/workflows/<name>`). */
async function exampleWorkflows(): Promise<Map<string, { file: string; text: string; yaml: Workflow }>> {
  const dir = path.join(repoRoot, "examples/workflows");
  const out = new Map<string, { file: string; text: string; yaml: Workflow }>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".yml"))) {
    const text = await readFile(path.join(dir, file), "utf8");
    const saveAs = /Save as \.github\/workflows\/([\w.-]+\.yml)/.exec(text)?.[1];
    if (saveAs) out.set(saveAs, { file, text, yaml: parse(text) as Workflow });
  }
  return out;
}

describe("the chat-ops command table is the one contract", () => {
  it("/modelgate help and the README's table are the generated table, listing every command", async () => {
    const readme = await readFile(path.join(repoRoot, "README.md"), "utf8");

    expect(withCommandTable(readme), "README table is stale: run npm run docs").toBe(readme);
    expect(HELP).toContain(commandTable());
    for (const name of names) {
      expect(commandTable()).toMatch(
        new RegExp(`\\| \`/modelgate ${name}[^|]*\` \\| ${COMMANDS[name].role} \\|`),
      );
    }
  });

  it("every command either dispatches a configured workflow or has a handler in the bot, not both", () => {
    for (const name of names) {
      const dispatches = "workflow" in COMMANDS[name];
      expect(`${name}: ${dispatches || name in LOCAL_COMMANDS}`).toBe(`${name}: true`);
      expect(`${name}: ${dispatches && name in LOCAL_COMMANDS}`).toBe(`${name}: false`);
    }
  });

  it("each dispatched workflow (by the config's default file name) declares, requires and reads exactly what the dispatch sends", async () => {
    const workflows = await exampleWorkflows();
    const files = GithubConfig.parse({}).workflows;
    const problems: string[] = [];
    for (const name of names) {
      const entry = COMMANDS[name];
      if (!("workflow" in entry) || !entry.workflow) continue;
      const file = files[entry.workflow];
      const found = workflows.get(file);
      if (!found) {
        problems.push(`${name}: no example workflow saved as ${file}`);
        continue;
      }
      const declared = found.yaml.on.workflow_dispatch?.inputs ?? {};
      const sent = dispatchInputs(parsed(name), { sha: SHA, pullRequest: 1 });
      // `command` and `pull_request` are read by the evaluate step from the event; the rest must be used.
      for (const input of Object.keys(sent)) {
        if (!(input in declared)) problems.push(`${name}: ${found.file} does not declare input ${input}`);
        if (!["command", "pull_request"].includes(input) && !found.text.includes(`inputs.${input}`))
          problems.push(`${name}: ${found.file} never reads inputs.${input}`);
      }
      for (const [input, spec] of Object.entries(declared)) {
        if (spec.required && !(input in sent))
          problems.push(`${name}: ${found.file} requires ${input}, never sent`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("every modelgate action step in the example workflows passes only inputs the action declares", async () => {
    const problems: string[] = [];
    for (const { file, yaml } of (await exampleWorkflows()).values()) {
      for (const job of Object.values(yaml.jobs)) {
        for (const step of job.steps) {
          const action = /^OWNER\/modelgate\/actions\/([\w-]+)@/.exec(step.uses ?? "")?.[1];
          if (!action) continue;
          const declared = (
            parse(await readFile(path.join(repoRoot, "actions", action, "action.yml"), "utf8")) as {
              inputs: Record<string, unknown>;
            }
          ).inputs;
          for (const key of Object.keys(step.with ?? {})) {
            if (!(key in declared)) problems.push(`${file}: actions/${action} has no input ${key}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("the train action reads a retrain dispatch's params with the same schema and bounds", () => {
    const sent = dispatchInputs(parsed("retrain"), { sha: SHA, pullRequest: 1 });

    expect(parseParams(sent.params)).toEqual({
      epochs: 5,
      learningRate: 0.01,
      batchSize: 64,
      hidden: [32, 16],
      dropout: 0.1,
      seed: 7,
    });
    const cases: [string, unknown, string][] = [
      ["epochs=1001", { epochs: 1001 }, "epochs: at most 1000"],
      ["hidden=8,8,8,8,8,8,8,8,8", { hidden: [8, 8, 8, 8, 8, 8, 8, 8, 8] }, "hidden: at most 8 layers"],
      ["hidden=2048", { hidden: [2048] }, "hidden.0: at most 1024 units a layer"],
      ["batchSize=65537", { batchSize: 65537 }, "batchSize: at most 65536"],
      ["learningRate=0", { learningRate: 0 }, "learningRate: more than 0"],
      ["learningRate=1.5", { learningRate: 1.5 }, "learningRate: at most 1"],
      ["dropout=1", { dropout: 1 }, "dropout: less than 1"],
      ["epochs=2.5", { epochs: 2.5 }, "epochs: expected a whole number"],
      ["command=rm", { command: "rm" }, "unknown setting command"],
    ];
    for (const [text, json, message] of cases) {
      const fromComment = parseCommand(`/modelgate retrain ${text}`);
      expect(fromComment).toMatchObject({ ok: false, error: message });
      expect(() => parseParams(JSON.stringify(json))).toThrow(message);
    }
  });

  it("tune takes 1 to 1000 trials and sends them as the sweep's trials input", () => {
    expect(dispatchInputs(parsed("tune"), { sha: SHA, pullRequest: 4 })).toEqual({
      command: "tune",
      sha: SHA,
      pull_request: "4",
      trials: "3",
    });
    expect(parseCommand("/modelgate tune trials=1001")).toMatchObject({
      ok: false,
      error: "trials: at most 1000",
    });
    expect(parseCommand("/modelgate tune trials=0")).toMatchObject({
      ok: false,
      error: "trials: at least 1",
    });
    // The tune action reads the dispatched input with the same schema.
    expect(parseTrials("3")).toBe(3);
    expect(() => parseTrials("1001")).toThrow("trials: at most 1000");
    expect(() => parseTrials("three")).toThrow("trials: expected a number");
  });

  it("compare sends the registry ref as the evaluate step's champion, the champion alias by default", () => {
    expect(dispatchInputs(parsed("compare"), { sha: SHA, pullRequest: 2 }).champion).toBe("v1");
    const plain = parseCommand("/modelgate compare");
    expect(plain?.ok && dispatchInputs(plain.command, { sha: SHA, pullRequest: 2 }).champion).toBe(
      "champion",
    );
    expect(parseCommand("/modelgate compare ../etc")).toMatchObject({ ok: false });
    expect(parseCommand("/modelgate compare v1 v2")).toMatchObject({
      ok: false,
      error: "expected at most one ref",
    });
  });
});
