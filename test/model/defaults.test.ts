import { describe, expect, it } from "vitest";
import { ModelConfig } from "../../core/config/schema.js";
import { trainingLength } from "../../core/model/train.js";

describe("training length with model.epochs unset", () => {
  const defaults = ModelConfig.parse({});

  it("gives small data enough epochs for 1,000 optimizer steps, and patience for 100", () => {
    // 120 rows at batch 128: one step an epoch.
    expect(trainingLength(defaults, 120)).toEqual({ epochs: 1000, patience: 100 });
    // 1,280 rows: ten steps an epoch.
    expect(trainingLength(defaults, 1280)).toEqual({ epochs: 100, patience: 10 });
  });

  it("keeps 50 epochs and the configured patience on large data", () => {
    expect(trainingLength(defaults, 100_000)).toEqual({ epochs: 50, patience: 10 });
  });

  it("honours epochs and patience the config sets, on any data size", () => {
    const set = ModelConfig.parse({ epochs: 5, earlyStopping: { patience: 2 } });
    const off = ModelConfig.parse({ earlyStopping: false });

    expect(trainingLength(set, 120)).toEqual({ epochs: 5, patience: 2 });
    expect(trainingLength(off, 120)).toEqual({ epochs: 1000, patience: undefined });
  });
});
