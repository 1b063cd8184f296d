import { describe, expect, test } from "vitest";
import { loadConfig } from "../../core/config/index.js";
import { loadProjectData, loadTrainingData } from "../../core/pipeline/dataset.js";
import { project, table } from "./helpers.js";

const ids = (t: { columns: string[]; data: unknown[][] }) =>
  t.data[t.columns.indexOf("id")]!.map(String).sort();

describe("loadTrainingData: the rows a sweep sees", () => {
  test("without data.test, the split's test rows stay out; the rest is cut 80/20, each class on both sides", async () => {
    const dir = await project({
      "modelgate.yml": "version: 1\nname: toy\ndata: { train: train.csv, target: y, id: id }\n",
      "train.csv": table(200, 4),
    });
    const loaded = await loadConfig("modelgate.yml", dir);

    const projectRows = await loadProjectData(loaded, { cwd: dir });
    const tuning = await loadTrainingData(loaded, { cwd: dir });

    const seen = [...ids(tuning.train), ...ids(tuning.test)].sort();
    expect(seen).toEqual(ids(projectRows.train));
    expect(ids(projectRows.test).filter((id) => seen.includes(id))).toEqual([]);
    expect(tuning.test.data[0]!.length).toBe(Math.round(projectRows.train.data[0]!.length * 0.2));
    const labels = tuning.test.data[tuning.test.columns.indexOf("y")]!;
    expect(new Set(labels)).toEqual(new Set(["yes", "no"]));
    expect(tuning.info.test.file).toBe("train.csv (split) (validation 0.2, seed 42)");
  });

  test("too few training rows to hold out a validation share is bad input naming the file", async () => {
    const dir = await project({
      "modelgate.yml": "version: 1\nname: toy\ndata: { train: train.csv, test: gone.csv, target: y }\n",
      "train.csv": "x,y\n1,a\n",
    });
    const loaded = await loadConfig("modelgate.yml", dir);

    const failure = loadTrainingData(loaded, { cwd: dir });

    await expect(failure).rejects.toMatchObject({
      name: "UserError",
      location: { file: "train.csv" },
      message: expect.stringMatching(/too few to hold out a validation share/),
    });
  });
});
