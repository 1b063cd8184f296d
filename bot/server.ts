import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { createNodeMiddleware, type Logger, Probot } from "probot";
import { type AppOptions, createModelgate } from "./app.js";
import type { BotSettings } from "./env.js";
import { modelgateOctokit, type OctokitTuning } from "./octokit.js";

export const WEBHOOK_PATH = "/api/github/webhooks";
/** GitHub caps webhook payloads at 25 MB; a bigger body is not from GitHub and is not read. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface StartOptions extends AppOptions {
  log?: Logger;
  octokit?: OctokitTuning;
}

export interface BotServer {
  url: string;
  port: number;
  /** Resolves when the work of every delivery received so far is done. */
  idle(): Promise<void>;
  /** Stops accepting deliveries, then waits for the work already accepted. */
  close(): Promise<void>;
}

export async function startBot(settings: BotSettings, options: StartOptions = {}): Promise<BotServer> {
  const log = options.log ?? pino({ level: settings.logLevel, name: "modelgate" });
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.baseUrl,
    log,
    Octokit: modelgateOctokit(options.octokit),
  });
  const { app, idle } = createModelgate(options);
  const middleware = await createNodeMiddleware(app, { probot, webhooksPath: WEBHOOK_PATH });
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/ping") return void res.writeHead(200).end("PONG");
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return void res.writeHead(413).end();
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === "IPv6" ? `[${address}]` : address;
  log.info(`modelgate bot listening on http://${host}:${port}${WEBHOOK_PATH}`);
  return {
    url: `http://${host}:${port}`,
    port,
    idle,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await idle();
    },
  };
}
