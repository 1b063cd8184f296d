import { z } from "zod";
import {
  RETRAIN_LIMITS,
  RetrainParams,
  TUNE_LIMITS,
  TuneArgs,
  zodProblem,
} from "../core/config/command-args.js";
import { ChampionRef } from "../core/registry/champion.js";
import type { Role } from "./github.js";

/**
 * The one chat-ops contract. Each command's entry says who may run it, what its arguments are (a zod
 * schema with bounds), what `/modelgate help` and the README say about it, which configured workflow
 * it dispatches and which inputs that workflow receives. Parsing, help, the README table (between the
 * `modelgate:commands` markers) and the dispatch read this table; the argument schemas live in
 * core/config/command-args.ts, where the train and tune actions read them too.
 * test/bot/command-table.test.ts fails when a workflow, an action or the README disagrees with it.
 */

/** Keys of the config's `github.workflows`. */
export type WorkflowKey = "retrain" | "drift" | "publish" | "tune" | "evaluate";

/** A registry version (`3`, `v3`) or alias: nothing a shell, a path or a URL would read specially. */
export { ChampionRef };

const CompareArgs = z.strictObject({ ref: ChampionRef.optional() });
const Reason = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, "say why, e.g. /modelgate accept-regression recall matters less here")
    .max(500, "at most 500 characters"),
});
const NoArgs = z.strictObject({});

/** How a command's words after its name become the object its schema reads. */
type Reader = "none" | "pairs" | "ref" | "text";

interface Spec<S extends z.ZodType> {
  role: Role;
  /** What follows the command's name in the usage line. */
  usage: string;
  does: string;
  read: Reader;
  args: S;
  /** The configured workflow it dispatches; without one the bot does the work itself. */
  workflow?: WorkflowKey;
  /** The inputs it adds to the ones every dispatch sends (`command`, `sha`, `pull_request`). */
  inputs?: (args: z.output<S>) => Record<string, string>;
}
const spec = <S extends z.ZodType>(s: Spec<S>): Spec<S> => s;

export const COMMANDS = {
  help: spec({ role: "read", usage: "", does: "lists these commands", read: "none", args: NoArgs }),
  retrain: spec({
    role: "write",
    usage: "[epochs=N learningRate=X batchSize=N hidden=64,32 dropout=X seed=N]",
    does: `trains this pull request's head with these settings (epochs ≤ ${RETRAIN_LIMITS.epochs}, hidden ≤ ${RETRAIN_LIMITS.layers} layers × ${RETRAIN_LIMITS.units}, batchSize ≤ ${RETRAIN_LIMITS.batchSize}, 0 < learningRate ≤ 1, 0 ≤ dropout < 1) and reports here`,
    read: "pairs",
    args: RetrainParams,
    workflow: "retrain",
    inputs: (args) => ({ params: JSON.stringify(args) }),
  }),
  compare: spec({
    role: "write",
    usage: "[ref]",
    does: "evaluates this pull request's model against the registry's `ref` (a version like v3 or an alias; default: the champion) and reports here",
    read: "ref",
    args: CompareArgs,
    workflow: "retrain",
    inputs: (args) => ({ champion: args.ref ?? "champion" }),
  }),
  drift: spec({
    role: "write",
    usage: "",
    does: "runs the drift workflow on this pull request's head",
    read: "none",
    args: NoArgs,
    workflow: "drift",
  }),
  tune: spec({
    role: "write",
    usage: "[trials=N]",
    does: `runs the hyperparameter search on this pull request's head (1-${TUNE_LIMITS.trials} trials)`,
    read: "pairs",
    args: TuneArgs,
    workflow: "tune",
    inputs: (args): Record<string, string> =>
      args.trials === undefined ? {} : { trials: String(args.trials) },
  }),
  promote: spec({
    role: "maintain",
    usage: "",
    does: "runs the publish workflow for this pull request's head",
    read: "none",
    args: NoArgs,
    workflow: "publish",
  }),
  verify: spec({
    role: "maintain",
    usage: "",
    does: "runs the base branch's evaluation workflow on this pull request's head, so a pull request that changes workflows can be judged (docs/security.md)",
    read: "none",
    args: NoArgs,
    workflow: "evaluate",
  }),
  "accept-regression": spec({
    role: "maintain",
    usage: "<reason>",
    does: "passes the failed gate check, recording who and why",
    read: "text",
    args: Reason,
  }),
} satisfies Record<string, Spec<z.ZodType>>;

export type CommandName = keyof typeof COMMANDS;
export type CommandArgs<N extends CommandName> = z.output<(typeof COMMANDS)[N]["args"]>;
export type Command = { [N in CommandName]: { name: N; args: CommandArgs<N> } }[CommandName];
export type Parsed = { ok: true; command: Command } | { ok: false; name: string; role: Role; error: string };

export const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/** Every input a command's dispatch sends: the common three, then its own. */
export function dispatchInputs(
  command: Command,
  at: { sha: string; pullRequest: number },
): Record<string, string> {
  const entry = COMMANDS[command.name] as Spec<z.ZodType>;
  return {
    command: command.name,
    sha: at.sha,
    pull_request: String(at.pullRequest),
    ...entry.inputs?.(command.args),
  };
}

const PREFIX = /^\/modelgate(?:\s+|$)/;

function keyValues(tokens: string[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const token of tokens) {
    const match = /^([A-Za-z]{1,32})=(.{1,100})$/.exec(token);
    if (!match) return `expected key=value, found '${token.slice(0, 40)}'`;
    if (Object.hasOwn(out, match[1]!)) return `${match[1]} given twice`;
    out[match[1]!] = match[2]!;
  }
  return out;
}

function toInput(read: Reader, tokens: string[]): unknown {
  switch (read) {
    case "none":
      return tokens.length ? `takes no arguments` : {};
    case "pairs":
      return keyValues(tokens);
    case "ref":
      return tokens.length > 1 ? "expected at most one ref" : tokens.length ? { ref: tokens[0] } : {};
    case "text":
      return { reason: tokens.join(" ") };
  }
}

/** The command on a comment's first line, or undefined when the comment is not addressed to the bot. */
export function parseCommand(body: string): Parsed | undefined {
  const line = (body.split(/\r?\n/, 1)[0] ?? "").trim();
  if (!PREFIX.test(line)) return undefined;
  const [word = "help", ...tokens] = line.replace(PREFIX, "").split(/\s+/).filter(Boolean);
  const name = word.toLowerCase();
  if (!isCommand(name)) {
    return {
      ok: false,
      name,
      role: "read",
      error: `unknown command '${word.slice(0, 40)}'; try /modelgate help`,
    };
  }
  const entry = COMMANDS[name] as Spec<z.ZodType>;
  const fail = (error: string): Parsed => ({ ok: false, name, role: entry.role, error });
  const input = toInput(entry.read, tokens);
  if (typeof input === "string") return fail(input === "takes no arguments" ? `'${name}' ${input}` : input);
  const result = entry.args.safeParse(input);
  if (!result.success) return fail(zodProblem(result.error));
  return { ok: true, command: { name, args: result.data } as Command };
}

const usageOf = (name: CommandName): string => {
  const usage = COMMANDS[name].usage;
  return `/modelgate ${name}${usage ? ` ${usage}` : ""}`;
};

/** The command table as Markdown: the reply to `/modelgate help` and the README's table. */
export function commandTable(): string {
  const rows = (Object.keys(COMMANDS) as CommandName[]).map(
    (name) => `| \`${usageOf(name)}\` | ${COMMANDS[name].role} | ${COMMANDS[name].does} |`,
  );
  return ["| command | needs | does |", "| --- | --- | --- |", ...rows].join("\n");
}

export const HELP = `**modelgate commands** (first line of a pull request comment):\n\n${commandTable()}`;

export const README_MARKERS = {
  start: "<!-- modelgate:commands start (generated from bot/commands.ts: npm run docs) -->",
  end: "<!-- modelgate:commands end -->",
} as const;

/** `readme` with the text between the markers replaced by the generated table. */
export function withCommandTable(readme: string): string {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) throw new Error("README.md lacks the modelgate:commands markers");
  return `${readme.slice(0, start + README_MARKERS.start.length)}\n\n${commandTable()}\n\n${readme.slice(end)}`;
}

/** Who may run what, by command name (read from the table). */
export const COMMAND_ROLES = Object.fromEntries(
  Object.entries(COMMANDS).map(([name, entry]) => [name, entry.role]),
) as { [N in CommandName]: (typeof COMMANDS)[N]["role"] };
