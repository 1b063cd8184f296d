import { commands } from "../../cli/commands/index.js";
import { tuneCommand } from "../../cli/commands/tune.js";
import { type CliRun, cli, project } from "../helpers/cli.js";

// Until `tune` is listed in cli/commands/index.ts; afterwards this is a no-op.
if (!commands.has("tune")) commands.set("tune", tuneCommand);

export { cli, project };

/** `modelgate tune ...` in-process, through the real argument parsing and error mapping. */
export function tune(args: string[], cwd: string): Promise<CliRun> {
  return cli(["tune", ...args], cwd);
}

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A learnable table: y = "yes" when x1 + x2 > 0. */
export function table(rows: number, seed: number): string {
  const random = mulberry32(seed);
  const lines = ["id,x1,x2,color,y"];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 2 - 1;
    const x2 = random() * 2 - 1;
    const color = ["red", "green", "blue"][Math.floor(random() * 3)];
    lines.push(`${i},${x1.toFixed(4)},${x2.toFixed(4)},${color},${x1 + x2 > 0 ? "yes" : "no"}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A small project whose `tune:` block is `tune` (YAML lines, indented under `tune:`); `test` names its
 * test file (test.csv is written whatever the name).
 */
export function tuneProject(
  tuneLines: string[],
  options: { test?: string; epochs?: number } = {},
): Promise<string> {
  const config = [
    "version: 1",
    "name: toy",
    "# the data: a toy boundary",
    `data: { train: train.csv, test: ${options.test ?? "test.csv"}, target: y, id: id }`,
    "model:",
    "  hidden: [4]",
    `  epochs: ${options.epochs ?? 3}  # short on purpose`,
    "  batchSize: 32",
    "  learningRate: 0.01",
    "  backend: cpu",
    "  dropout: 0",
    "tune:",
    ...tuneLines.map((line) => `  ${line}`),
    "",
  ].join("\n");
  return project({ "modelgate.yml": config, "train.csv": table(300, 1), "test.csv": table(100, 2) });
}
