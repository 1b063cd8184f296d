import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, type Preprocessor, transformRecords } from "../../core/model/index.js";
import { encodeRows, rowField } from "../../core/serve/rows.js";
import { removeAll, trainModels } from "./helpers.js";

let root: string;
let prep: Preprocessor;

beforeAll(async () => {
  const models = await trainModels();
  root = models.root;
  prep = (await loadModel(models.classifier, { backend: "wasm" })).preprocessor;
});

afterAll(async () => {
  await removeAll(root);
});

describe("encodeRows", () => {
  it("encodes plain JSON rows exactly as transformRecords does", () => {
    const rows = [
      { a: 1.5, b: -2, color: "red", flag: true },
      { a: null, b: 0, color: "purple", flag: null },
      { a: 3, b: 1e6, color: null, flag: false },
      { a: 0, b: 0, color: 7, flag: false },
    ];

    expect(encodeRows(prep, rows, rowField("instances"))).toEqual(transformRecords(prep, rows));
  });

  it("takes transformRecords' path for values it coerces, with the same result", () => {
    const rows = [{ a: "1.5", b: " 2 ", color: "red", flag: "yes", label: "no" }];

    expect(encodeRows(prep, rows, rowField("instances"))).toEqual(transformRecords(prep, rows));
  });

  it("names the field in the caller's terms", () => {
    const rows = [{ a: 1, b: 2, color: "red", flag: "perhaps" }];

    expect(() => encodeRows(prep, rows, rowField("dataframe_records"))).toThrow(
      expect.objectContaining({ location: { field: "dataframe_records[0].flag" } }),
    );
  });
});
