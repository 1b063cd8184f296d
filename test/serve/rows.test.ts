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

  // encodeRows remembers where the features stood among the last row's keys: a change of order, a
  // missing or an extra key must never reuse it wrongly.
  it("encodes rows whose keys change order, go missing or gain extras as transformRecords does", () => {
    const batches = [
      [{ a: 1.5, b: -2, color: "red", flag: true }],
      [{ flag: false, color: "blue", b: 3, a: -1 }],
      [
        { a: 2, b: 1, color: "green", flag: null },
        { color: "red", a: 0.5, flag: true, b: 4 },
        { a: 7, b: 7, color: "blue", flag: false },
      ],
      [{ b: 5, a: 6, color: "red", flag: true }],
    ];

    for (const rows of batches)
      expect(encodeRows(prep, rows, rowField("instances"))).toEqual(transformRecords(prep, rows));
    expect(() => encodeRows(prep, [{ a: 1, b: 2, color: "red" }], rowField("instances"))).toThrow(
      /missing column/,
    );
    expect(
      encodeRows(prep, [{ a: 1, b: 2, color: "red", flag: true, label: "yes" }], rowField("instances")),
    ).toEqual(transformRecords(prep, [{ a: 1, b: 2, color: "red", flag: true, label: "yes" }]));
  });
});
