import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Ajv, type ErrorObject, type SchemaObject } from "ajv";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../helpers/action.js";
import { tempDir } from "../helpers/temp.js";
import { checkPins, checkWorkflow, expr, type Pins, pinned, type Violation } from "./workflow-rules.js";

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
const PINS: Pins = (() => {
  const { $comment: _, ...pins } = JSON.parse(
    readFileSync(path.join(repoRoot, "examples/workflows/action-pins.json"), "utf8"),
  ) as Pins & { $comment?: unknown };
  return pins as Pins;
})();
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

    it("pins each action by the SHA action-pins.json records for the tag its comment names", () => {
      expect(checkPins(readFileSync(file, "utf8"), PINS)).toEqual([]);
    });

    it("passes each pinned action only inputs its action.yml at that tag declares (recorded in action-pins.json)", () => {
      const workflow = load(file) as { jobs: Record<string, { steps?: { uses?: string; with?: object }[] }> };
      const unknown = Object.values(workflow.jobs).flatMap((job) =>
        (job.steps ?? []).flatMap((step) => {
          const pin = PINS[/^([\w.-]+\/[\w.-]+)@/.exec(step.uses ?? "")?.[1] ?? ""];
          if (!pin) return [];
          return Object.keys(step.with ?? {})
            .filter((key) => !pin.inputs?.includes(key))
            .map((key) => `${step.uses?.split("@")[0]}: ${key}`);
        }),
      );

      expect(unknown).toEqual([]);
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
      `actions/checkout@${PINS["actions/checkout"]!.sha}`,
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

const CHECKOUT = "3d3c42e5aac5ba805825da76410c181273ba90b1";

describe("security rules catch what they are for", () => {
  const good = {
    on: { pull_request: {} },
    permissions: { contents: "read" },
    jobs: {
      test: {
        "runs-on": "ubuntu-latest",
        steps: [
          {
            uses: `actions/checkout@${CHECKOUT}`,
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
        uses: `actions/checkout@${CHECKOUT}`,
        with: { ref: expr("github.head_ref") },
      } as never;
    });

    expect(violations.map((v) => v.message)).toEqual([
      "not a SHA: github.head_ref",
      "pull requests must check out github.event.pull_request.head.sha",
      "must be false",
    ]);
  });

  it("refuse opting in to checking out fork code in a trusted context (checkout v7)", () => {
    const violations = edit((w) => {
      Object.assign(w.jobs.test.steps[0]!.with!, { "allow-unsafe-pr-checkout": true });
    });

    expect(rules(violations)).toEqual(["checkout-sha jobs.test.steps[0].with.allow-unsafe-pr-checkout"]);
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
      w.jobs.test.steps.push({
        uses: "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
        with: { path: "." },
      } as never);
    });

    expect(rules(violations)).toEqual(["artifacts-in-runner-temp jobs.test.steps[2].with.path"]);
  });

  it("refuse secrets on pull requests unless the job is guarded to same-repository pull requests and checks out nothing", () => {
    const leak = (w: typeof good) => {
      w.jobs.test.steps[1]!.env = { X: expr("secrets.TOKEN") };
    };
    const guard = "github.event.pull_request.head.repo.full_name == github.repository";

    expect(rules(edit(leak))).toEqual([
      "no-secrets-on-pull-requests jobs.test",
      "read-only-pull-request-runs jobs.test",
    ]);
    // The guard lets a job that runs nothing from the pull request use a secret...
    expect(
      edit((w) => {
        leak(w);
        w.jobs.test.steps.shift();
        Object.assign(w.jobs.test, { if: guard });
      }),
    ).toEqual([]);
    // ...but a job that checks out the pull request's commit stays secret-free, guarded or not.
    expect(
      rules(
        edit((w) => {
          leak(w);
          Object.assign(w.jobs.test, { if: guard });
        }),
      ),
    ).toEqual(["read-only-pull-request-runs jobs.test"]);
  });

  it("pinned-actions: accept actions by full SHA only, the OWNER/modelgate placeholder aside", () => {
    expect(pinned(`actions/checkout@${CHECKOUT}`)).toBe(true);
    expect(pinned("OWNER/modelgate/actions/train@v1")).toBe(true);
    expect(pinned("someone/action@0123456789abcdef0123456789abcdef01234567")).toBe(true);
    expect(pinned("actions/checkout@v5")).toBe(false);
    expect(pinned("acme/modelgate/actions/train@v1")).toBe(false);
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

  it("read-only-pull-request-runs: refuse a write token or a secret in a job that checks out a pull request's commit", () => {
    const violations = edit((w) => {
      Object.assign(w.jobs.test, { permissions: { contents: "write" } });
      w.jobs.test.steps[1]!.env = { X: expr("secrets.TOKEN") };
    });
    // A dispatched run of the PR's SHA counts too, and a guard to same-repo PRs does not help here.
    const dispatched = checkWorkflow({
      on: { workflow_dispatch: { inputs: { sha: { type: "string" } } } },
      permissions: { contents: "read" },
      jobs: {
        drift: {
          "runs-on": "ubuntu-latest",
          permissions: { issues: "write" },
          steps: [
            {
              uses: `actions/checkout@${CHECKOUT}`,
              with: { ref: expr("inputs.sha"), "persist-credentials": false },
            },
          ],
        },
      },
    });

    expect(rules(violations)).toEqual([
      "no-secrets-on-pull-requests jobs.test",
      "read-only-pull-request-runs jobs.test.permissions",
      "read-only-pull-request-runs jobs.test",
    ]);
    expect(rules(dispatched)).toEqual(["read-only-pull-request-runs jobs.drift.permissions"]);
  });

  it("no-npx-in-checkout: refuse npx, npm exec and dlx, and installs that are not exact, in RUNNER_TEMP, scripts off", () => {
    const run = (script: string) =>
      edit((w) => {
        w.jobs.test.steps[1] = { run: script } as never;
      }).map((v) => `${v.rule}: ${v.message}`);
    const safe =
      'npm install --prefix "$RUNNER_TEMP/mg" --ignore-scripts --registry=https://registry.npmjs.org modelgate@1.2.3';

    expect(run("npx --yes modelgate@1 tune merge shards")).toEqual([
      "no-npx-in-checkout: runs a package with npx/exec/dlx: use the modelgate action",
    ]);
    expect(run("npm exec -- modelgate diff")).toHaveLength(1);
    expect(run("pnpm dlx modelgate diff")).toHaveLength(1);
    expect(run("yarn dlx modelgate diff")).toHaveLength(1);
    expect(run("npm install -g modelgate@1")).toEqual([
      'no-npx-in-checkout: install needs --prefix "$RUNNER_TEMP/...", --ignore-scripts, --registry=https://..., an exact version (name@X.Y.Z)',
    ]);
    expect(run(safe)).toEqual([]);
  });

  const dispatchedDrift = (drift: Record<string, unknown>, ref = expr("inputs.sha")) => ({
    on: { workflow_dispatch: { inputs: { sha: { type: "string" } } } },
    permissions: { contents: "read" },
    jobs: {
      drift: {
        "runs-on": "ubuntu-latest",
        steps: [
          { uses: `actions/checkout@${CHECKOUT}`, with: { ref, "persist-credentials": false } },
          { uses: "OWNER/modelgate/actions/drift@v1", with: drift },
        ],
      },
    },
  });

  it("drift-reports-only-on-pull-requests: the drift action on a pull request's commit sets issue and retrain false", () => {
    expect(rules(checkWorkflow(dispatchedDrift({ retrain: "false" })))).toEqual([
      "drift-reports-only-on-pull-requests jobs.drift.steps[1].with.issue",
    ]);
    expect(
      rules(checkWorkflow(dispatchedDrift({ issue: "false", retrain: expr("inputs.sha == ''") }))),
    ).toEqual(["drift-reports-only-on-pull-requests jobs.drift.steps[1].with.retrain"]);
    expect(checkWorkflow(dispatchedDrift({ issue: "false", retrain: "false" }))).toEqual([]);
  });

  const withEvaluate = (step: Record<string, unknown>) =>
    edit((w) => {
      w.jobs.test.steps[1] = { uses: "OWNER/modelgate/actions/evaluate@v1", ...step } as never;
    });

  it("gates-from-the-base: refuse an evaluate step told where its gates come from", () => {
    expect(
      rules(withEvaluate({ with: { model: "m", "gates-ref": expr("github.event.pull_request.head.sha") } })),
    ).toEqual(["gates-from-the-base jobs.test.steps[1].with.gates-ref"]);
    expect(rules(withEvaluate({ with: { model: "m" }, env: { GITHUB_EVENT_NAME: "push" } }))).toEqual([
      "gates-from-the-base jobs.test.steps[1].env.GITHUB_EVENT_NAME",
    ]);
    expect(withEvaluate({ with: { model: "m" } })).toEqual([]);
  });

  it("config-in-workspace: refuse config and schema paths that are absolute, URLs, '..' or expressions", () => {
    const bad = [
      "/etc/modelgate.yml",
      "https://evil.example/modelgate.yml",
      "../other/modelgate.yml",
      expr("inputs.config"),
    ];

    for (const config of bad) {
      expect(rules(withEvaluate({ with: { model: "m", config } }))).toEqual([
        "config-in-workspace jobs.test.steps[1].with.config",
      ]);
    }
    expect(
      rules(withEvaluate({ uses: "OWNER/modelgate/actions/validate@v1", with: { schema: "../s.json" } })),
    ).toEqual(["config-in-workspace jobs.test.steps[1].with.schema"]);
    expect(withEvaluate({ with: { model: "m", config: "ml/modelgate.yml" } })).toEqual([]);
  });

  describe("pins (on the workflow's text, against action-pins.json)", () => {
    const pins: Pins = { "actions/checkout": { tag: "v7.0.1", sha: CHECKOUT } };
    const text = (uses: string) => `jobs:\n  a:\n    steps:\n      - uses: ${uses}\n`;

    it("pin-names-its-tag: a SHA pin carries a '# vX.Y.Z' comment", () => {
      expect(rules(checkPins(text(`actions/checkout@${CHECKOUT}`), pins))).toEqual([
        "pin-names-its-tag line 4",
      ]);
      expect(rules(checkPins(text(`actions/checkout@${CHECKOUT} # latest`), pins))).toEqual([
        "pin-names-its-tag line 4",
      ]);
      expect(checkPins(text(`actions/checkout@${CHECKOUT} # v7.0.1`), pins)).toEqual([]);
    });

    it("pin-matches-tag: the SHA and tag are the ones action-pins.json read from the action's repository", () => {
      const invented = "0123456789abcdef0123456789abcdef01234567";

      expect(checkPins(text(`actions/checkout@${invented} # v7.0.1`), pins).map((v) => v.rule)).toEqual([
        "pin-matches-tag",
      ]);
      expect(checkPins(text(`actions/checkout@${CHECKOUT} # v7.0.0`), pins).map((v) => v.rule)).toEqual([
        "pin-matches-tag",
      ]);
      expect(checkPins(text(`someone/action@${invented} # v1.0.0`), pins)).toEqual([
        { rule: "pin-matches-tag", where: "line 4", message: "someone/action is not in action-pins.json" },
      ]);
    });

    it("action-pins.json holds full SHAs and exact tags for the actions the workflows use", () => {
      for (const [repo, pin] of Object.entries(PINS)) {
        expect(repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
        expect(pin.tag).toMatch(/^v\d+\.\d+\.\d+$/);
      }
    });
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
    const out = await tempDir("mg-pinned-");
    const sha = "0123456789abcdef0123456789abcdef01234567";

    await promisify(execFile)(process.execPath, [
      path.join(repoRoot, "scripts/pin-templates.mjs"),
      ...["--repo", "acme/modelgate", "--sha", sha, "--tag", "v1.2.3", "--out", out],
    ]);

    const pinnedFiles = globSync(["*.yml"], { cwd: out, absolute: true }).sort();
    expect(pinnedFiles.map((f) => path.basename(f))).toEqual(
      workflowFiles.filter((f) => f.includes("/examples/workflows/")).map((f) => path.basename(f)),
    );
    let pinned = 0;
    for (const file of pinnedFiles) {
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain("OWNER/modelgate");
      for (const line of text.split("\n").filter((l) => l.includes("acme/modelgate"))) {
        expect(line).toMatch(new RegExp(`uses: acme/modelgate(/[\\w/-]+)?@${sha} # v1\\.2\\.3$`));
        pinned++;
      }
      expect(checkWorkflow(load(file))).toEqual([]);
      const released = { ...PINS, "acme/modelgate": { tag: "v1.2.3", sha } };
      expect(checkPins(text, released)).toEqual([]);
    }
    // The templates use modelgate's actions: a pass with nothing pinned would prove nothing.
    expect(pinned).toBeGreaterThan(5);
  });

  it("refuses a SHA that is not a full commit SHA", async () => {
    const out = await tempDir("mg-pinned-");
    const run = promisify(execFile)(process.execPath, [
      path.join(repoRoot, "scripts/pin-templates.mjs"),
      ...["--repo", "acme/modelgate", "--sha", "main", "--tag", "v1.2.3", "--out", out],
    ]);

    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/40-character commit SHA/),
    });
  });
});
