import { z } from "zod";
import type { Role } from "./github.js";

/** Who may run what. `help` needs read so the bot does not answer strangers on private repositories. */
export const COMMAND_ROLES = {
  help: "read",
  retrain: "write",
  compare: "write",
  drift: "write",
  tune: "write",
  promote: "maintain",
  "accept-regression": "maintain",
} as const satisfies Record<string, Role>;
export type CommandName = keyof typeof COMMAND_ROLES;

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?[0-9]{1,10}$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const decimal = z
  .string()
  .regex(/^[0-9]*\.?[0-9]+(?:e-?[0-9]{1,2})?$/i, "expected a number")
  .transform(Number);

/** The only training settings a comment may change; anything else would be a way into the workflow. */
export const RetrainArgs = z.strictObject({
  epochs: int(1, 10_000).optional(),
  learningRate: decimal.pipe(z.number().gt(0).max(1)).optional(),
  batchSize: int(1, 65_536).optional(),
  hidden: z
    .string()
    .regex(/^[0-9]{1,4}(?:,[0-9]{1,4}){0,7}$/, "expected layer sizes like 64,32")
    .transform((text) => text.split(",").map(Number))
    .pipe(z.array(z.number().int().min(1).max(4096)))
    .optional(),
  dropout: decimal.pipe(z.number().min(0).lt(1)).optional(),
  seed: int(0, 2_147_483_647).optional(),
});
export const TuneArgs = z.strictObject({ trials: int(1, 1000).optional() });

// A branch, tag or SHA: no option-looking start, no `..`, nothing a shell or a URL would read specially.
const Ref = z
  .string()
  .max(200)
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, "expected a branch, tag or commit");
const Reason = z
  .string()
  .trim()
  .min(1, "say why, e.g. /modelgate accept-regression recall matters less here")
  .max(500);

export type Command =
  | { name: "help" | "drift" | "promote"; args: Record<string, never> }
  | { name: "retrain"; args: z.infer<typeof RetrainArgs> }
  | { name: "tune"; args: z.infer<typeof TuneArgs> }
  | { name: "compare"; args: { ref?: string } }
  | { name: "accept-regression"; args: { reason: string } };

export type Parsed = { ok: true; command: Command } | { ok: false; name: string; role: Role; error: string };

const PREFIX = /^\/modelgate(?:\s+|$)/;

function keyValues(tokens: string[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const token of tokens) {
    const match = /^([A-Za-z]{1,32})=(.{1,100})$/.exec(token);
    if (!match) return `expected key=value, found '${token.slice(0, 40)}'`;
    if (match[1]! in out) return `${match[1]} given twice`;
    out[match[1]!] = match[2]!;
  }
  return out;
}

function issue(error: z.ZodError): string {
  const first = error.issues[0]!;
  if (first.code === "unrecognized_keys") return `unknown setting ${first.keys.join(", ")}`;
  const field = first.path.join(".");
  return field ? `${field}: ${first.message}` : first.message;
}

/** The command on a comment's first line, or undefined when the comment is not addressed to the bot. */
export function parseCommand(body: string): Parsed | undefined {
  const line = (body.split(/\r?\n/, 1)[0] ?? "").trim();
  if (!PREFIX.test(line)) return undefined;
  const [word = "help", ...tokens] = line.replace(PREFIX, "").split(/\s+/).filter(Boolean);
  const name = word.toLowerCase();
  if (!(name in COMMAND_ROLES)) {
    return {
      ok: false,
      name,
      role: "read",
      error: `unknown command '${word.slice(0, 40)}'; try /modelgate help`,
    };
  }
  const known = name as CommandName;
  const fail = (error: string): Parsed => ({ ok: false, name: known, role: COMMAND_ROLES[known], error });
  switch (known) {
    case "retrain":
    case "tune": {
      const pairs = keyValues(tokens);
      if (typeof pairs === "string") return fail(pairs);
      const result = (known === "retrain" ? RetrainArgs : TuneArgs).safeParse(pairs);
      return result.success
        ? { ok: true, command: { name: known, args: result.data } as Command }
        : fail(issue(result.error));
    }
    case "compare": {
      if (tokens.length > 1) return fail("expected at most one ref");
      const result = Ref.optional().safeParse(tokens[0]);
      return result.success
        ? { ok: true, command: { name: known, args: { ref: result.data } } }
        : fail(issue(result.error));
    }
    case "accept-regression": {
      const result = Reason.safeParse(tokens.join(" "));
      return result.success
        ? { ok: true, command: { name: known, args: { reason: result.data } } }
        : fail(issue(result.error));
    }
    default:
      return tokens.length
        ? fail(`'${known}' takes no arguments`)
        : { ok: true, command: { name: known, args: {} } };
  }
}

export const HELP = [
  "**modelgate commands** (first line of a pull request comment):",
  "",
  "| command | does | needs |",
  "|---|---|---|",
  "| `/modelgate help` | this list | read |",
  "| `/modelgate retrain [epochs=N learningRate=X batchSize=N hidden=64,32 dropout=X seed=N]` | runs the training workflow on this pull request's head | write |",
  "| `/modelgate compare [ref]` | evaluates against the champion, or against `ref` | write |",
  "| `/modelgate drift` | runs the drift workflow | write |",
  "| `/modelgate tune [trials=N]` | runs the hyperparameter search workflow | write |",
  "| `/modelgate promote` | runs the publish workflow for this head | maintain |",
  "| `/modelgate accept-regression <reason>` | passes the failed gate check, recording who and why | maintain |",
].join("\n");
