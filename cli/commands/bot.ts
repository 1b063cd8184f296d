import { ExitCode } from "../../core/errors.js";
import type { Command } from "../context.js";

export const botCommand: Command = {
  name: "bot",
  summary: "start the GitHub App server (webhooks at /api/github/webhooks)",
  usage: "bot",
  details: [
    "Environment: APP_ID, PRIVATE_KEY (PEM, or base64 of it) or PRIVATE_KEY_PATH, WEBHOOK_SECRET (required),",
    "PORT (default 3000), HOST (default 0.0.0.0), GHE_HOST and GHE_PROTOCOL for GitHub Enterprise, LOG_LEVEL.",
    "Runs until SIGINT or SIGTERM, then finishes the work already accepted. Without hosting, run",
    "dist/bot-actions.js in a workflow instead (see bot/actions.ts).",
  ],
  flags: {},
  async run(_positionals, _flags, ctx) {
    // Loaded here so other commands do not pay for Probot.
    const { parseBotEnv } = await import("../../bot/env.js");
    const { startBot } = await import("../../bot/server.js");
    const settings = await parseBotEnv(ctx.io.env);
    const server = await startBot(settings);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await server.close();
    return ExitCode.ok;
  },
};
