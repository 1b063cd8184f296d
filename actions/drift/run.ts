import { writeFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { z } from "zod";
import { type LoadedConfig, loadConfig } from "../../core/config/index.js";
import { type DriftResult, renderDriftMarkdown } from "../../core/drift/index.js";
import { runDriftRequest } from "../../core/drift/request.js";
import { UserError } from "../../core/errors.js";
import { isAlert, monitorDrift, type Retrained } from "../../core/monitor/index.js";
import { actionGitHub } from "../github.js";
import { workspacePath } from "../project.js";
import {
  actionsLogger,
  failUnless,
  input,
  optionalString,
  readEventFile,
  runnerEnv,
  runnerTemp,
  workspace,
} from "../runtime.js";
import { driftInputs } from "./inputs.js";
import { retrainFiles } from "./retrain.js";

export async function driftAction(): Promise<number> {
  const cwd = workspace();
  const inputs = driftInputs();
  const loaded = await loadConfig(await workspacePath("config", inputs.config, cwd), cwd).catch(
    (error: unknown) => {
      if (inputs.drift.reference || inputs.drift.model) return undefined;
      throw error;
    },
  );
  const result = await runDriftRequest(inputs.drift, {
    cwd,
    logger: actionsLogger,
    loaded,
    field: (option) => `with.${option}`,
  });
  const name = inputs.modelName ?? loaded?.config.name;
  const report = renderDriftMarkdown(result, `modelgate drift${name ? `: ${name}` : ""}`);
  await core.summary.addRaw(report).write();
  const reportFile = path.join(runnerTemp(cwd), "modelgate-drift.json");
  await writeFile(reportFile, `${JSON.stringify(result, null, 2)}\n`);
  core.setOutput("drift", String(result.drift));
  core.setOutput("share", String(result.share));
  core.setOutput("prediction-drift", String(result.prediction?.drift ?? false));
  core.setOutput("degraded", String(result.performance?.degraded ?? false));
  core.setOutput("report", reportFile);

  if (inputs.issue || inputs.retrain) await onGitHub(result, { cwd, inputs, loaded, name, report });
  const alert = isAlert(result);
  if (alert) core.setFailed(`drift detected: see the job summary`);
  return failUnless(!alert);
}

/** Keeps the drift issue and opens the retraining pull request, as the inputs ask. */
async function onGitHub(
  result: DriftResult,
  context: {
    cwd: string;
    inputs: ReturnType<typeof driftInputs>;
    loaded: LoadedConfig | undefined;
    name: string | undefined;
    report: string;
  },
): Promise<void> {
  const { cwd, inputs, loaded, name, report } = context;
  if (!name)
    throw new UserError("no model name: set model-name or keep a config with name", {
      field: "with.model-name",
    });
  const github = actionGitHub(
    "opening drift issues and retraining pull requests",
    input("token", optionalString),
    "token",
  );
  const base = inputs.base ?? (await defaultBranch());
  const train = async (): Promise<Retrained> => {
    if (!loaded) throw new UserError("retraining needs the project config", { field: "with.config" });
    return retrainFiles(loaded, {
      cwd,
      report,
      model: name,
      trainData: inputs.trainData,
      modelPath: inputs.modelPath,
    });
  };
  const outcome = await monitorDrift(result, {
    client: github.octokit,
    target: { owner: github.owner, repo: github.repo },
    model: name,
    report,
    issue: inputs.issue,
    ...(inputs.retrain ? { retrain: { base, train } } : {}),
    logger: actionsLogger,
  });
  if (outcome.issue?.url) core.setOutput("issue", outcome.issue.url);
  if (outcome.pull) core.setOutput("pull-request", outcome.pull.url);
}

const EventRepository = z.object({ repository: z.object({ default_branch: z.string().min(1) }) });

/** The repository's default branch from the event payload, else main. */
async function defaultBranch(): Promise<string> {
  const event = await readEventFile(runnerEnv().GITHUB_EVENT_PATH);
  return EventRepository.safeParse(event).data?.repository.default_branch ?? "main";
}
