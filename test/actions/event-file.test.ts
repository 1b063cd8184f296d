import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readEventFile } from "../../actions/runtime.js";
import { UserError } from "../../core/errors.js";
import { tempDir } from "../helpers/temp.js";

describe("the runner's event file (GITHUB_EVENT_PATH)", () => {
  it("is read as JSON, and absent when the runner names none", async () => {
    const dir = await tempDir("mg-event-");
    const file = path.join(dir, "event.json");
    await writeFile(file, JSON.stringify({ inputs: { sha: "a".repeat(40) } }));

    expect(await readEventFile(file)).toEqual({ inputs: { sha: "a".repeat(40) } });
    expect(await readEventFile(undefined)).toBeUndefined();
  });

  it("a missing or garbled file is a user error naming it, not a crash", async () => {
    const dir = await tempDir("mg-event-");
    const garbled = path.join(dir, "garbled.json");
    await writeFile(garbled, "{ not json");

    const missing = await readEventFile(path.join(dir, "gone.json")).catch((error: unknown) => error);
    const bad = await readEventFile(garbled).catch((error: unknown) => error);

    expect(missing).toBeInstanceOf(UserError);
    expect(String((missing as Error).message)).toContain("no such file");
    expect(bad).toBeInstanceOf(UserError);
    expect((bad as UserError).message).toBe("the event file is not JSON");
    expect((bad as UserError).location.file).toBe(garbled);
  });
});
