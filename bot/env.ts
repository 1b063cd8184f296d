import { readFile } from "node:fs/promises";
import { z } from "zod";
import { fsError, UserError } from "../core/errors.js";

/**
 * The bot's environment, parsed once at the door. Probot's own reader turns a missing secret into
 * "development" and a bad APP_ID into NaN; here both stop the server with a message naming the variable.
 */
const Env = z.object({
  APP_ID: z
    .string({ error: "missing: expected the GitHub App's numeric id" })
    .regex(/^[1-9][0-9]{0,11}$/, "expected the GitHub App's numeric id, e.g. 123456"),
  PRIVATE_KEY: z.string().min(1).optional(),
  PRIVATE_KEY_PATH: z.string().min(1).optional(),
  WEBHOOK_SECRET: z
    .string({ error: "missing: expected the secret set in the GitHub App's webhook settings" })
    .min(8, "expected at least 8 characters"),
  PORT: z
    .string()
    .regex(/^[0-9]{1,5}$/, "expected a port number")
    .transform(Number)
    .refine((port) => port <= 65_535, "expected a port number of at most 65535")
    .default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  GHE_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/, "expected a host name, optionally with :port, without a scheme")
    .optional(),
  GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export interface BotSettings {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  port: number;
  host: string;
  /** REST API root; undefined means api.github.com. */
  baseUrl: string | undefined;
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
}

const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/;

/** PEM text, or the same base64-encoded for hosts without multi-line variables (as Probot accepts). */
function decodeKey(text: string, variable: string): string {
  const pem = PEM.exec(text.replace(/\\n/g, "\n"))?.[0];
  if (pem) return pem;
  const decoded = Buffer.from(text.trim(), "base64").toString("utf8");
  const fromBase64 = PEM.exec(decoded)?.[0];
  if (fromBase64) return fromBase64;
  throw new UserError("expected a PEM private key (-----BEGIN ... PRIVATE KEY-----), plain or base64", {
    field: variable,
  });
}

export async function parseBotEnv(env: Record<string, string | undefined>): Promise<BotSettings> {
  const result = Env.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    throw new UserError(issue.message, { field: variable });
  }
  const parsed = result.data;
  let privateKey: string;
  if (parsed.PRIVATE_KEY) privateKey = decodeKey(parsed.PRIVATE_KEY, "PRIVATE_KEY");
  else if (parsed.PRIVATE_KEY_PATH) {
    const text = await readFile(parsed.PRIVATE_KEY_PATH, "utf8").catch((error: unknown) => {
      throw fsError(error, parsed.PRIVATE_KEY_PATH!);
    });
    privateKey = decodeKey(text, "PRIVATE_KEY_PATH");
  } else {
    throw new UserError("missing: set PRIVATE_KEY or PRIVATE_KEY_PATH to the GitHub App's private key", {
      field: "PRIVATE_KEY",
    });
  }
  return {
    appId: Number(parsed.APP_ID),
    privateKey,
    webhookSecret: parsed.WEBHOOK_SECRET,
    port: parsed.PORT,
    host: parsed.HOST,
    baseUrl: parsed.GHE_HOST ? `${parsed.GHE_PROTOCOL}://${parsed.GHE_HOST}/api/v3` : undefined,
    logLevel: parsed.LOG_LEVEL,
  };
}
