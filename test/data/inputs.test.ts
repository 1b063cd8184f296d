import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOne } from "../../core/data/source.js";
import { cli, project } from "../helpers/cli.js";
import { rowsOf } from "../readers/helpers.js";

const csv = "a,b\n1,x\n2,y\n3,z\n";

/** A zstd frame of raw (stored) blocks: what fzstd decodes, made without a zstd encoder. */
function zstdFrame(content: Buffer): Buffer {
  if (content.length > 255) throw new Error("keep test content under 256 bytes");
  const blockHeader = 1 | (0 << 1) | (content.length << 3); // last block, raw, size
  return Buffer.concat([
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, content.length]),
    Buffer.from([blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff]),
    content,
  ]);
}

async function validateJson(files: Record<string, string | Buffer>, data: string) {
  const dir = await project(files);
  const result = await cli(["validate", "--data", data, "--json"], dir);
  return { ...result, json: result.stdout ? JSON.parse(result.stdout) : undefined };
}

describe("compressed files", () => {
  it("reads .csv.gz by its bytes and keeps the user's name in messages", async () => {
    const result = await validateJson({ "d.csv.gz": gzipSync(csv) }, "d.csv.gz");

    expect({
      code: result.code,
      rows: result.json.rows,
      columns: result.json.columns,
      file: result.json.file,
    }).toEqual({ code: 0, rows: 3, columns: 2, file: "d.csv.gz" });
  });

  it("reads zstd (.csv.zst) with a pure-JS decoder", async () => {
    const dir = await project({ "d.csv.zst": zstdFrame(Buffer.from(csv)) });

    const table = await rowsOf(await openOne("d.csv.zst", { cwd: dir }));

    expect(table.rows).toEqual([
      ["1", "x"],
      ["2", "y"],
      ["3", "z"],
    ]);
  });

  it("refuses a corrupt gzip file with exit 1 naming it", async () => {
    const bytes = gzipSync(csv).subarray(0, 12);

    const result = await validateJson({ "d.csv.gz": bytes }, "d.csv.gz");

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/d\.csv\.gz: not a readable gzip file/);
  });
});

describe("Parquet", () => {
  it("reads ZSTD-compressed Parquet (pyarrow's and polars' default), vega's flights-3m", async () => {
    const file = path.join(
      path.dirname(createRequire(import.meta.url).resolve("vega-datasets")),
      "..",
      "data",
      "flights-3m.parquet",
    );
    const source = await openOne(file);

    const first = await source.batches({ batchSize: 5 })[Symbol.asyncIterator]().next();

    expect(source.columns).toEqual(["date", "delay", "distance", "origin", "destination"]);
    expect(first.value.size).toBe(5);
    expect(typeof first.value.columns[1][0]).toBe("number");
  });
});

describe("JSON", () => {
  it("reads a JSON array of records, each row at its line", async () => {
    const text = '[\n  {"a": 1, "b": "x"},\n  {"a": 2, "b": null},\n  {"a": 3, "b": "z", "c": true}\n]\n';
    const dir = await project({ "d.json": text });

    const table = await rowsOf(await openOne("d.json", { cwd: dir }));

    expect(table).toMatchObject({
      columns: ["a", "b", "c"],
      rows: [
        [1, "x", null],
        [2, null, null],
        [3, "z", true],
      ],
      lines: [2, 3, 4],
    });
  });

  it.each([
    ["GeoJSON", { type: "FeatureCollection", features: [] }, /GeoJSON \(a FeatureCollection\)/],
    ["TopoJSON", { type: "Topology", objects: {}, arcs: [] }, /TopoJSON \(a Topology\)/],
    ["a graph", { nodes: [{ id: 1 }], links: [] }, /a graph \(1 nodes and their links\)/],
    ["nested data", { width: 2, values: [1, 2] }, /one JSON object with keys width, values/],
  ])("refuses %s with exit 2, naming what it found", async (_kind, document, message) => {
    const result = await validateJson({ "d.json": JSON.stringify(document, null, 2) }, "d.json");

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("refuses GeoJSON written on one line (which would parse as a JSON Lines record)", async () => {
    const result = await validateJson(
      { "d.json": JSON.stringify({ type: "FeatureCollection", features: [] }) },
      "d.json",
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/GeoJSON \(a FeatureCollection\)/);
  });

  it("refuses an array of non-records, naming the element's line", async () => {
    const result = await validateJson({ "d.json": "[\n  [1, 2],\n  [3, 4]\n]" }, "d.json");

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /d\.json:2: element 1 of the array is an array; expected an array of records/,
    );
  });
});

describe("delimiters", () => {
  it("sniffs a ;-separated file", async () => {
    const result = await validateJson({ "d.csv": "a;b;c\n1;2;3\n4;5;6\n" }, "d.csv");

    expect({ code: result.code, columns: result.json.columns, warnings: result.json.warnings }).toEqual({
      code: 0,
      columns: 3,
      warnings: [],
    });
  });

  it("warns when a file has one column", async () => {
    const result = await validateJson({ "d.csv": "a b c\n1 2 3\n4 5 6\n" }, "d.csv");

    expect(result.code).toBe(0);
    expect(result.json.warnings.map((w: { check: string }) => w.check)).toEqual(["delimiter"]);
    expect(result.json.warnings[0].message).toMatch(/one column \('a b c'\).*data\.delimiter/);
  });
});

describe("schema-less validation", () => {
  it("a type change mid-file is an error at its first line; ranges are never enforced", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},${(i * 7919) % 1000}`);
    rows.push("20000,n/a?", "20001,5", "20002,unknown");
    // Values past the first rows' range are fine: 5000 > every value the head holds.
    rows.push("20003,5000");

    const result = await validateJson({ "d.csv": `id,x\n${rows.join("\n")}\n` }, "d.csv");

    expect(result.code).toBe(1);
    expect(result.json.errors).toEqual([
      {
        check: "type_change",
        column: "x",
        lines: [20_002],
        count: 2,
        message: expect.stringMatching(/^x: 'n\/a\?' on line 20002 is text, but the column holds numbers/),
      },
    ]);
  });

  it("missing-value tokens are not a type change", async () => {
    const result = await validateJson({ "d.csv": "x\n1\nNA\n2\nnull\n3\nN/A\n" }, "d.csv");

    expect(result.code).toBe(0);
    expect(result.json.profile.columns.x).toMatchObject({ count: 6, missing: 3 });
  });
});

describe("URLs", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/page.csv") {
        response.writeHead(200, { "content-type": "text/html" });
        response.end("<!DOCTYPE html>\n<html><body>Not found</body></html>\n");
      } else if (request.url === "/stall.csv") {
        response.writeHead(200, { "content-type": "text/csv" });
        response.write("a,b\n1,");
        // ...and nothing more: the idle timeout ends it.
      } else if (request.url === "/silent.csv") {
        // No response at all: the connect timeout ends it.
      } else {
        response.writeHead(200, { "content-type": "text/csv" });
        response.end(csv);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("refuses an HTML page served as .csv with exit 2", async () => {
    const result = await validateJson({}, `${base}/page.csv`);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/page\.csv: this is an HTML page, not data/);
  });

  it("gives up on a body that stalls (idle timeout), naming the URL", async () => {
    const error = await openOne(`${base}/stall.csv`, { idleTimeoutMs: 300 }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      exitCode: 2,
      location: { file: `${base}/stall.csv` },
      message: expect.stringMatching(/no data for 0\.3 s after 6 bytes \(idle timeout\)/),
    });
  });

  it("gives up on a server that never answers (connect timeout)", async () => {
    const error = await openOne(`${base}/silent.csv`, { connectTimeoutMs: 300 }).catch((e: unknown) => e);

    expect(error).toMatchObject({ exitCode: 2, message: expect.stringMatching(/no response within 0\.3 s/) });
  });

  it("reads a CSV URL", async () => {
    const result = await validateJson({}, `${base}/ok.csv`);

    expect({ code: result.code, rows: result.json.rows }).toEqual({ code: 0, rows: 3 });
  });
});

describe("schema-less class balance", () => {
  it("warns about an imbalanced target, but not about a numeric (regression) target", async () => {
    const skewed = ["x,y", ...Array.from({ length: 60 }, (_, i) => `${i},${i < 2 ? "rare" : "common"}`)].join(
      "\n",
    );
    const numeric = ["x,y", ...Array.from({ length: 60 }, (_, i) => `${i},${(i * 13) % 47}`)].join("\n");
    const dir = await project({ "s.csv": skewed, "n.csv": numeric });

    const s = JSON.parse((await cli(["validate", "--data", "s.csv", "--target", "y", "--json"], dir)).stdout);
    const n = JSON.parse((await cli(["validate", "--data", "n.csv", "--target", "y", "--json"], dir)).stdout);

    expect(s.warnings.map((w: { check: string }) => w.check)).toEqual(["class_imbalance"]);
    expect(n.warnings).toEqual([]);
  });
});
