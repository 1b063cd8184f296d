import { describe, expect, test } from "vitest";
import { parseIsoDate } from "../../core/diff/dates.js";
import { cli, project } from "../helpers/cli.js";

const OLD = "id,age,signup\n1,30,2024-01-05\n2,30,2024-02-10\n3,41,2024-03-01\n4,52,2024-03-20\n";
const NEW = "id,age,signup\n1,30,2024-01-05\n2,31,2024-09-10\n3,41,2024-10-01\n5,60,2024-11-20\n";

describe("diff: ids that do not key rows, and date columns", () => {
  test("a non-unique --id warns naming it and the repeats; --strict exits 2 with the same words", async () => {
    const cwd = await project({ "old.csv": OLD, "new.csv": NEW });

    const loose = await cli(["diff", "old.csv", "new.csv", "--id", "age", "--json"], cwd);
    const strict = await cli(["diff", "old.csv", "new.csv", "--id", "age", "--strict"], cwd);
    const unique = await cli(["diff", "old.csv", "new.csv", "--id", "id", "--strict", "--json"], cwd);

    expect(loose.code).toBe(0);
    expect(loose.stderr).toContain(
      "id column 'age' is not unique: 1 repeated ids in old, 0 in new (e.g. '30')",
    );
    expect(JSON.parse(loose.stdout).byId.duplicates).toEqual({ old: 1, new: 0, examples: ["30"] });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("--id: id column 'age' is not unique");
    expect(strict.stdout).toBe("");
    expect(unique.code).toBe(0);
    expect(JSON.parse(unique.stdout).byId).toMatchObject({ added: 1, removed: 1, changed: 2, unchanged: 1 });
  });

  test("ISO date columns are compared as instants: ranges, median and mean shift", async () => {
    const cwd = await project({ "old.csv": OLD, "new.csv": NEW });

    const json = await cli(["diff", "old.csv", "new.csv", "--id", "id", "--json"], cwd);
    const text = await cli(["diff", "old.csv", "new.csv", "--id", "id"], cwd);

    const signup = JSON.parse(json.stdout).distributions.find(
      (c: { column: string }) => c.column === "signup",
    );
    expect(signup.categorical).toBeUndefined();
    expect(signup.datetime).toMatchObject({
      min: { old: "2024-01-05T00:00:00.000Z", new: "2024-01-05T00:00:00.000Z" },
      max: { old: "2024-03-20T00:00:00.000Z", new: "2024-11-20T00:00:00.000Z" },
      unparsed: { old: 0, new: 0 },
    });
    // Per-row day differences 0, 213, 214, 245 (Python's date subtraction): mean 168.
    expect(signup.datetime.meanShiftDays).toBeCloseTo(168, 6);
    expect(text.stdout).toContain("### Date columns");
    expect(text.stdout).toMatch(/`signup` \| 2024-01-05 – 2024-03-20 \| 2024-01-05 – 2024-11-20 \|/);
  });

  test("missing cells (NA, null, data.missing) neither stop a date column being dates nor count as unparsed", async () => {
    // Half of each side's cells missing: read as text they would have made `signup` a plain category.
    const withNa = (text: string) =>
      text.replace(",2024-02-10", ",NA").replace(",2024-09-10", ",null").replace(",2024-03-01", ",N/A");
    const cwd = await project({
      "old.csv": withNa(OLD),
      "new.csv": withNa(NEW),
      "custom/old.csv": OLD.replace(",2024-02-10", ",-").replace(",2024-03-01", ",-"),
      "custom/new.csv": NEW,
      "custom/modelgate.yml":
        "version: 1\nname: d\ndata:\n  train: new.csv\n  target: age\n  missing: ['-']\n",
    });

    const json = await cli(["diff", "old.csv", "new.csv", "--id", "id", "--json"], cwd);
    const custom = await cli(["diff", "old.csv", "new.csv", "--id", "id", "--json"], `${cwd}/custom`);

    const signup = (stdout: string) =>
      JSON.parse(stdout).distributions.find((c: { column: string }) => c.column === "signup");
    expect(json.code).toBe(0);
    expect(signup(json.stdout).categorical).toBeUndefined();
    expect(signup(json.stdout).datetime).toMatchObject({
      min: { old: "2024-01-05T00:00:00.000Z", new: "2024-01-05T00:00:00.000Z" },
      unparsed: { old: 0, new: 0 },
    });
    expect(signup(json.stdout).missing.old).toBeCloseTo(0.5, 9);
    expect(custom.code).toBe(0);
    expect(signup(custom.stdout).datetime).toMatchObject({ unparsed: { old: 0, new: 0 } });
    expect(signup(custom.stdout).missing.old).toBeCloseTo(0.5, 9);
  });

  test("dates are read by the shared cell grammar: ISO and MM/DD/YYYY, impossible days and other text refused", () => {
    const cells = [
      "2024-02-29",
      "2024-02-30",
      "2024-03-01T12:30:00Z",
      "2024-03-01 12:30",
      "2024-03-01T14:30:00+02:00",
      "03/01/2024",
      "x",
    ];

    const parsed = cells.map((cell) => parseIsoDate(cell));

    expect(parsed.map((t) => (Number.isNaN(t) ? null : new Date(t).toISOString()))).toEqual([
      "2024-02-29T00:00:00.000Z",
      null,
      "2024-03-01T12:30:00.000Z",
      "2024-03-01T12:30:00.000Z",
      "2024-03-01T12:30:00.000Z",
      // MM/DD/YYYY is one of the grammar's forms (core/data/dates.ts).
      "2024-03-01T00:00:00.000Z",
      null,
    ]);
  });
});
