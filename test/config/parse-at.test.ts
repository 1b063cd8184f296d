import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { input, positiveInt } from "../../actions/runtime.js";
import { UserError } from "../../core/errors.js";
import { parseAt } from "../../core/parse.js";
import { checkModelName } from "../../core/registry/store.js";

const Settings = z.strictObject({ model: z.strictObject({ epochs: z.number().int() }) });

function failure(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error("expected a UserError");
}

describe("parseAt", () => {
  it("returns the parsed value", () => {
    expect(parseAt(Settings, { model: { epochs: 3 } }, { what: "settings" })).toEqual({
      model: { epochs: 3 },
    });
  });

  it("names the field below the given one, what was expected and what was found", () => {
    const error = failure(() =>
      parseAt(Settings, { model: { epochs: "ten" } }, { what: "bad run", field: "run", file: "r.json" }),
    );

    expect(error.message).toBe('bad run: expected number, found string "ten"');
    expect(error.location).toEqual({ file: "r.json", field: "run.model.epochs" });
    expect(error.exitCode).toBe(2);
  });

  it("names unknown keys, and leaves the field out when the value itself is wrong", () => {
    const unknown = failure(() =>
      parseAt(Settings, { model: { epochs: 1, epochz: 2 } }, { what: "settings" }),
    );
    const whole = failure(() => parseAt(z.string().min(2), "a", { what: "name", got: "a" }));

    expect(unknown.message).toBe("settings: unknown key 'epochz'");
    expect(unknown.location.field).toBe("model");
    expect(whole.message).toBe("name: Too small: expected string to have >=2 characters (got 'a')");
    expect(whole.location).toEqual({ field: undefined });
  });

  it("serves the registry's name check", () => {
    const error = failure(() => checkModelName("Bad Name"));

    expect(error.message).toMatch(/^'Bad Name' is not a model name: /);
    expect(error.location.field).toBe("name");
  });

  it("serves the actions' inputs, naming the input and what was typed", () => {
    vi.stubEnv("INPUT_EPOCHS", "ten");
    vi.stubEnv("INPUT_MODE", "loud");

    const error = failure(() => input("epochs", positiveInt(3)));
    const option = failure(() => input("mode", z.enum(["fast", "exact"])));

    expect(error.message).toBe("input 'epochs': expected a whole number (got 'ten')");
    expect(error.location).toEqual({ field: "with.epochs" });
    expect(option.message).toBe('input \'mode\': expected "fast" or "exact", found string "loud"');
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
});
