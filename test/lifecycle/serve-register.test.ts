import { cp, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp.js";
import { churnCsv, modelgate, project, start, tree } from "./helpers.js";

const CONFIG =
  "version: 1\nname: churn\ndata: { train: train.csv, target: churned }\nmodel: { backend: wasm, epochs: 3 }\n";

describe("a model outside its project", () => {
  it("is served without --config under the name its run record knows", async () => {
    const dir = await project(CONFIG, { "train.csv": churnCsv() });
    expect((await modelgate(["train", "--out", "model"], dir)).code).toBe(0);
    const elsewhere = await tempDir("mg-elsewhere-");
    await cp(path.join(dir, "model"), path.join(elsewhere, "model"), { recursive: true });

    const server = start(["serve", "--model", "model", "--port", "0", "--json"], elsewhere);
    const line = await server.output(/\{.*\}\n/);
    const { url, name } = JSON.parse(line) as { url: string; name: string };
    const response = await fetch(`${url}/v1/models/churn:predict`, {
      method: "POST",
      body: JSON.stringify({ instances: [{ age: 40, plan: "gold", charges: 90 }] }),
    });
    const body = (await response.json()) as { predictions: Array<{ label: string }> };
    server.child.kill("SIGTERM");
    const stopped = await server.done;

    expect(name).toBe("churn");
    expect(response.status).toBe(200);
    expect(body.predictions[0]?.label).toMatch(/^(yes|no)$/);
    expect(stopped.code).toBe(0);
  });
});

describe("registry register", () => {
  it("refuses a folder of CSVs with exit 2 and copies nothing", async () => {
    const dir = await project(CONFIG, { "train.csv": churnCsv() });
    const csvs = path.join(dir, "exports");
    await cp(path.join(dir, "train.csv"), path.join(csvs, "a.csv"), { recursive: true });
    await writeFile(path.join(csvs, "b.csv"), "x\n1\n");

    const result = await modelgate(["registry", "register", "exports"], dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "not a model folder (no such file); register a folder written by 'modelgate train'",
    );
    expect((await tree(dir)).filter((f) => f.startsWith(".modelgate"))).toEqual([]);
  });
});
