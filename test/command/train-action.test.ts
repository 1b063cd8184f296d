import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runAction } from "../helpers/action.js";
import { tempDir } from "../helpers/temp.js";

/** examples/byom beside the churn example whose data it reads. */
async function workspace(): Promise<string> {
  const root = await tempDir("mg-byom-action-");
  await cp(path.join(repoRoot, "examples/byom"), path.join(root, "byom"), { recursive: true });
  await cp(path.join(repoRoot, "examples/churn"), path.join(root, "churn"), { recursive: true });
  return root;
}

describe("the train action on a model.command project (bundled, as the runner runs it)", () => {
  it("runs the program with the dispatch's params, and refuses params the config does not declare", async () => {
    const root = await workspace();

    const ok = await runAction(
      "train",
      { config: "byom/command.yml", out: "model", params: '{"epochs":"20"}' },
      { workspace: root },
    );
    const undeclared = await runAction(
      "train",
      { config: "byom/command.yml", params: '{"command":"rm"}' },
      { workspace: root },
    );

    expect(ok.code, ok.stdout).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(root, "model/modelgate.json"), "utf8"));
    expect(manifest.run.params).toEqual({ epochs: 20, learning_rate: 0.5 });
    expect(manifest.run.command.slice(0, 2)).toEqual(["node", "script/train.mjs"]);
    expect(ok.summary).toContain("trained by `node script/train.mjs");
    expect(undeclared.code).toBe(2);
    expect(undeclared.stdout).toContain(
      "command: not a param the config declares (declared: epochs, learning_rate)",
    );
  });

  it("never lets a dispatch's params set the program, its params or its timeout on any project", async () => {
    const root = await workspace();

    const runs = await Promise.all(
      ['{"command":["sh","-c","id"]}', '{"params":{}}', '{"timeout":1}'].map((params) =>
        runAction("train", { config: "churn/modelgate.yml", params }, { workspace: root }),
      ),
    );

    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs.map((r) => r.stdout.split("\n").find((line) => line.startsWith("::error::")))).toEqual([
      "::error::with.params: unknown setting command",
      "::error::with.params: unknown setting params",
      "::error::with.params: unknown setting timeout",
    ]);
  });
});
