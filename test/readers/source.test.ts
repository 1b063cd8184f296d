import { chmodSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openData, openOne } from "../../core/data/source.js";
import { UserError } from "../../core/errors.js";
import { rowsOf, tempDir } from "./helpers.js";

async function failure(work: Promise<unknown>): Promise<UserError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe("openData on local paths", () => {
  const dir = tempDir({
    "a.csv": "x,y\n1,2\n",
    "b.csv": "x,y\n3,4\n",
    "c.txt": "x,y\n5,6\n",
    "other.csv": "x,z\n1,2\n",
    "lfs.csv": "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n",
  });
  mkdirSync(join(dir, "sub"));

  it("expands a glob, sorted, each source named by its match", async () => {
    const sources = await openData("[ab].csv", { cwd: dir });

    expect(sources.map((s) => s.name)).toEqual(["a.csv", "b.csv"]);
    expect((await rowsOf(sources[1]!)).rows).toEqual([["3", "4"]]);
  });

  it("takes an absolute path as given and sniffs an unknown extension", async () => {
    const [source] = await openData(join(dir, "c.txt"));

    expect(source?.format).toBe("csv");
    expect(source?.name).toBe(join(dir, "c.txt"));
  });

  it("refuses files of one glob whose headers differ, naming both", async () => {
    const error = await failure(openData("[ao]*.csv", { cwd: dir }));

    expect(error.message).toMatch(/header differs from a\.csv/);
    expect(error.location.file).toBe("other.csv");
  });

  it("refuses a glob that matches several files where one is expected", async () => {
    const error = await failure(openOne("[ab].csv", { cwd: dir }));

    expect(error.message).toMatch(/matches 2 files/);
    expect(error.exitCode).toBe(2);
  });

  it.each([
    ["a missing file", "nope.csv", /no such file/],
    ["a directory", "sub", /is a directory/],
    ["a glob matching nothing", "*.parquet", /no files match/],
    ["a Git LFS pointer", "lfs.csv", /Git LFS pointer.*lfs: true.*git lfs pull/],
  ])("refuses %s with exit code 2, naming the path", async (_name, location, message) => {
    const error = await failure(openData(location, { cwd: dir }));

    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(2);
    expect(error.location.file).toBe(location);
  });

  it.skipIf(process.getuid?.() === 0)("refuses a file it may not read", async () => {
    chmodSync(join(dir, "b.csv"), 0o000);

    const error = await failure(openData("b.csv", { cwd: dir }));

    expect(error.message).toMatch(/permission denied/);
    expect(error.exitCode).toBe(2);
  });

  it("refuses a delimiter of more than one character, naming the field", async () => {
    const error = await failure(openData("a.csv", { cwd: dir, delimiter: ";;" }));

    expect(error.location.field).toBe("delimiter");
    expect(error.exitCode).toBe(2);
  });
});

describe("openData on http URLs", () => {
  let server: Server;
  let base = "";
  const served = new Map<string, string>([["/data/t.csv", "x,y\n1,2\n3,4\n"]]);

  beforeAll(async () => {
    server = createServer((request, response) => {
      const body = served.get(request.url ?? "");
      if (body === undefined) {
        response.writeHead(404).end("not found");
        return;
      }
      // No content-length: the size cap must hold while streaming, too.
      response.writeHead(200, { "content-type": "text/csv", "transfer-encoding": "chunked" });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("downloads and reads a file, named by its URL", async () => {
    const source = await openOne(`${base}/data/t.csv`);

    const table = await rowsOf(source);

    expect(source.name).toBe(`${base}/data/t.csv`);
    expect(table.rows).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
  });

  it("refuses a non-2xx answer, naming the URL and the status", async () => {
    const error = await failure(openOne(`${base}/missing.csv`));

    expect(error.message).toMatch(/HTTP 404/);
    expect(error.location.file).toBe(`${base}/missing.csv`);
    expect(error.exitCode).toBe(2);
  });

  it("refuses a download over the size cap", async () => {
    const error = await failure(openOne(`${base}/data/t.csv`, { maxDownloadBytes: 5 }));

    expect(error.message).toMatch(/larger than the 5 bytes allowed/);
  });

  it("uses the injected fetch", async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response("p,q\n7,8\n", { status: 200, headers: { "content-length": "8" } });
    };

    const table = await rowsOf(await openOne("https://example.invalid/x.csv", { fetch: fake }));

    expect(calls).toEqual(["https://example.invalid/x.csv"]);
    expect(table.rows).toEqual([["7", "8"]]);
  });

  it("refuses a declared size over the cap before reading the body", async () => {
    const fake: typeof fetch = async () =>
      new Response("p,q\n7,8\n", { status: 200, headers: { "content-length": "8" } });

    const error = await failure(
      openOne("https://example.invalid/x.csv", { fetch: fake, maxDownloadBytes: 4 }),
    );

    expect(error.message).toMatch(/larger than/);
  });
});
