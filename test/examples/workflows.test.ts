import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Ajv, type ErrorObject, type SchemaObject } from "ajv";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../helpers/action.js";
import { checkWorkflow, expr, pinned, type Violation } from "./workflow-rules.js";

const here = path.join(repoRoot, "test/examples");
const readSchema = (name: string): SchemaObject =>
  JSON.parse(readFileSync(path.join(here, "fixtures/schemas", name), "utf8")) as SchemaObject;

/** The vendored snapshot predates node24 (see fixtures/schemas/README.md); add it where node20 is listed. */
function withNode24(schema: SchemaObject): SchemaObject {
  const using = schema.definitions?.["runs-javascript"]?.properties?.using;
  if (!Array.isArray(using?.enum) || !using.enum.includes("node20")) {
    throw new Error("github-action.json changed shape: revisit the node24 patch in workflows.test.ts");
  }
  if (!using.enum.includes("node24")) using.enum.push("node24");
  return schema;
}

// SchemaStore's schemas are draft-07 and use keywords ajv's strict mode rejects (e.g. `$comment` siblings).
const ajv = new Ajv({ allErrors: true, strict: false });
const validateWorkflow = ajv.compile(readSchema("github-workflow.json"));
const validateAction = ajv.compile(withNode24(readSchema("github-action.json")));

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);

const relative = (file: string) => path.relative(repoRoot, file);
const load = (file: string): unknown => parse(readFileSync(file, "utf8"));

// Globbed, so workflows and actions added later are checked too.
const workflowFiles = globSync(["examples/**/workflows/*.{yml,yaml}", ".github/workflows/*.{yml,yaml}"], {
  cwd: repoRoot,
  dot: true,
  absolute: true,
  ignore: ["**/node_modules/**"],
}).sort();
const actionFiles = globSync(["action.{yml,yaml}", "actions/*/action.{yml,yaml}"], {
  cwd: repoRoot,
  absolute: true,
}).sort();

describe("example workflows", () => {
  it("include the five workflows users copy", () => {
    const names = workflowFiles.map((f) => path.basename(f));

    expect(names).toEqual(
      expect.arrayContaining(["pull-request.yml", "release.yml", "drift.yml", "chatops.yml", "sweep.yml"]),
    );
  });

  describe.each(workflowFiles.map((f) => [relative(f), f]))("%s", (_, file) => {
    it("is valid against SchemaStore's github-workflow schema", () => {
      const ok = validateWorkflow(load(file));

      expect(describeErrors(validateWorkflow.errors)).toEqual([]);
      expect(ok).toBe(true);
    });

    it("follows the security rules", () => {
      expect(checkWorkflow(load(file))).toEqual([]);
    });
  });

  it("run the steps in order on pull requests and upload the report from evaluate", () => {
    const workflow = load(path.join(repoRoot, "examples/workflows/pull-request.yml")) as {
      name: string;
      jobs: Record<string, { steps: { uses?: string }[] }>;
    };

    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => s.uses ?? []));

    // The bot listens for runs of the workflow named "modelgate".
    expect(workflow.name).toBe("modelgate");
    expect(uses).toEqual([
      "actions/checkout@v5",
      "OWNER/modelgate/actions/validate@v1",
      "OWNER/modelgate/actions/train@v1",
      "OWNER/modelgate/actions/evaluate@v1",
    ]);
  });

  // test/bot/command-table.test.ts checks each command's own inputs against the command table.
  it("accept the inputs every dispatch of the bot sends (bot/commands.ts), or GitHub refuses the dispatch", () => {
    const dispatched = ["pull-request.yml", "release.yml", "drift.yml", "sweep.yml"];

    const inputs = dispatched.map((name) => {
      const workflow = load(path.join(repoRoot, "examples/workflows", name)) as {
        on: { workflow_dispatch?: { inputs?: Record<string, unknown> } };
      };
      return Object.keys(workflow.on.workflow_dispatch?.inputs ?? {});
    });

    for (const names of inputs) {
      expect(names).toEqual(expect.arrayContaining(["command", "sha", "pull_request"]));
    }
  });
});

describe("security rules catch what they are for", () => {
  const good = {
    on: { pull_request: {} },
    permissions: { contents: "read" },
    jobs: {
      test: {
        "runs-on": "ubuntu-latest",
        steps: [
          {
            uses: "actions/checkout@v5",
            with: { ref: expr("github.event.pull_request.head.sha"), "persist-credentials": false },
          },
          { run: "npm test", env: { X: expr("github.event.pull_request.title") } },
        ],
      },
    },
  };
  const rules = (v: Violation[]) => v.map((x) => `${x.rule} ${x.where}`);
  const edit = (change: (w: typeof good & Record<string, unknown>) => void) => {
    const copy = structuredClone(good) as typeof good & Record<string, unknown>;
    change(copy);
    return checkWorkflow(copy);
  };

  it("pass a workflow that follows them", () => {
    expect(checkWorkflow(good)).toEqual([]);
  });

  it("require top-level permissions of read or none", () => {
    expect(rules(edit((w) => delete (w as Partial<typeof w>).permissions))).toEqual([
      "permissions permissions",
    ]);
    expect(rules(edit((w) => (w.permissions = { contents: "write" })))).toEqual([
      "permissions permissions.contents",
    ]);
  });

  it("refuse pull_request_target", () => {
    expect(rules(edit((w) => (w.on = { pull_request_target: {} } as never)))).toContain(
      "no-pull-request-target on",
    );
  });

  it("refuse checking out a branch, and credentials left in .git", () => {
    const violations = edit((w) => {
      w.jobs.test.steps[0] = {
        uses: "actions/checkout@v5",
        with: { ref: expr("github.head_ref") },
      } as never;
    });

    expect(violations.map((v) => v.message)).toEqual([
      "not a SHA: github.head_ref",
      "pull requests must check out github.event.pull_request.head.sha",
      "must be false",
    ]);
  });

  it("require chat-ops runs to check out the SHA captured with the command", () => {
    const violations = edit((w) => {
      w.on = { workflow_dispatch: { inputs: { sha: { description: "x", required: true } } } } as never;
      w.jobs.test.steps[0]!.with = { ref: expr("github.sha"), "persist-credentials": false } as never;
    });

    expect(rules(violations)).toEqual(["checkout-sha jobs.test.steps[0].with.ref"]);
  });

  it("refuse artifacts downloaded into the workspace", () => {
    const violations = edit((w) => {
      w.jobs.test.steps.push({ uses: "actions/download-artifact@v5", with: { path: "." } } as never);
    });

    expect(rules(violations)).toEqual(["artifacts-in-runner-temp jobs.test.steps[2].with.path"]);
  });

  it("refuse secrets on pull requests unless the job is guarded to same-repository pull requests", () => {
    const leak = (w: typeof good) => {
      w.jobs.test.steps[1]!.env = { X: expr("secrets.TOKEN") };
    };
    const guard = "github.event.pull_request.head.repo.full_name == github.repository";

    expect(rules(edit(leak))).toEqual(["no-secrets-on-pull-requests jobs.test"]);
    expect(
      edit((w) => {
        leak(w);
        Object.assign(w.jobs.test, { if: guard });
      }),
    ).toEqual([]);
  });

  it("accept actions/* by major tag and other actions by full SHA only", () => {
    expect(pinned("actions/checkout@v5")).toBe(true);
    expect(pinned("OWNER/modelgate/actions/train@v1")).toBe(true);
    expect(pinned("someone/action@0123456789abcdef0123456789abcdef01234567")).toBe(true);
    expect(pinned("someone/action@v2")).toBe(false);
    expect(pinned("actions/checkout@main")).toBe(false);
    expect(pinned("docker://alpine:3")).toBe(false);
  });

  it("refuse expressions pasted into scripts", () => {
    const violations = edit((w) => {
      w.jobs.test.steps[1] = { run: `echo ${expr("github.event.pull_request.title")}` } as never;
    });

    expect(rules(violations)).toEqual(["no-expressions-in-run jobs.test.steps[1].run"]);
  });
});

describe("action metadata", () => {
  it("includes the root action and one per step folder", () => {
    const names = actionFiles.map(relative);

    expect(names).toEqual(
      expect.arrayContaining(["action.yml", "actions/validate/action.yml", "actions/evaluate/action.yml"]),
    );
  });

  describe.each(actionFiles.map((f) => [relative(f), f]))("%s", (_, file) => {
    const action = load(file) as { runs?: { using?: string; main?: string } };
    const main = path.resolve(path.dirname(file), action.runs?.main ?? "");

    it("is valid against SchemaStore's github-action schema", () => {
      const ok = validateAction(action);

      expect(describeErrors(validateAction.errors)).toEqual([]);
      expect(ok).toBe(true);
    });

    it("runs on node24 from a bundle in dist/", () => {
      expect(action.runs?.using).toBe("node24");
      expect(path.relative(path.join(repoRoot, "dist"), main)).toMatch(/^[\w-]+\.js$/);
    });

    it(`has its main file ${path.relative(repoRoot, main)} built`, () => {
      expect(existsSync(main), "run npm run build and commit dist/").toBe(true);
    });
  });
});

describe("scripts/pin-templates.mjs (run by .github/workflows/release.yml)", () => {
  it("pins every OWNER/modelgate placeholder to the released commit, naming its tag, and the rules still hold", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "mg-pinned-"));
    const sha = "0123456789abcdef0123456789abcdef01234567";

    await promisify(execFile)(process.execPath, [
      path.join(repoRoot, "scripts/pin-templates.mjs"),
      ...["--repo", "acme/modelgate", "--sha", sha, "--tag", "v1.2.3", "--out", out],
    ]);

    const pinnedFiles = globSync(["*.yml"], { cwd: out, absolute: true }).sort();
    expect(pinnedFiles.map((f) => path.basename(f))).toEqual(
      workflowFiles.filter((f) => f.includes("/examples/workflows/")).map((f) => path.basename(f)),
    );
    for (const file of pinnedFiles) {
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain("OWNER/modelgate");
      for (const line of text.split("\n").filter((l) => l.includes("acme/modelgate"))) {
        expect(line).toMatch(new RegExp(`uses: acme/modelgate(/[\\w/-]+)?@${sha} # v1\\.2\\.3$`));
      }
      expect(checkWorkflow(load(file))).toEqual([]);
    }
    await rm(out, { recursive: true, force: true });
  });

  it("refuses a SHA that is not a full commit SHA", async () => {
    const run = promisify(execFile)(process.execPath, [
      path.join(repoRoot, "scripts/pin-templates.mjs"),
      ...["--repo", "acme/modelgate", "--sha", "main", "--tag", "v1.2.3", "--out", tmpdir()],
    ]);

    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/40-character commit SHA/),
    });
  });
});
