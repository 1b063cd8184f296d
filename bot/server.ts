import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { type Logger, Probot } from "probot";
import { type AppOptions, createModelgate } from "./app.js";
import type { BotSettings } from "./env.js";
import { modelgateOctokit, type OctokitTuning } from "./octokit.js";
import { type Delivery, readDelivery, WEBHOOK_LIMITS } from "./webhook.js";

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface StartOptions extends AppOptions {
  log?: Logger;
  octokit?: OctokitTuning;
  /** Shorter timeouts for tests; the defaults are WEBHOOK_LIMITS. */
  limits?: { headersMs?: number; requestMs?: number };
}

export interface BotServer {
  url: string;
  port: number;
  /** Resolves when the work of every delivery received so far is done. */
  idle(): Promise<void>;
  /** Stops accepting deliveries, then waits for the work already accepted. */
  close(): Promise<void>;
}

/**
 * The App's HTTP server. Deliveries are read by our own reader (`webhook.ts`), not Probot's middleware,
 * which buffers a whole body before it checks the signature: here the body is capped while it streams
 * and the signature is computed on the way, so a stranger's 100 MB costs at most the cap.
 */
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
  const { app, idle } = createModelgate({ appId: settings.appId, ...options });
  await probot.load(app);
  const budget = { used: 0 };
  const headersTimeout = options.limits?.headersMs ?? WEBHOOK_LIMITS.headersMs;
  const requestTimeout = options.limits?.requestMs ?? WEBHOOK_LIMITS.requestMs;
  const server: Server = createServer(
    // Node looks for late requests every 30 s by default, which would stretch a 10 s limit to 40.
    { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout / 2) },
    (req, res) => {
      const path = req.url?.split("?")[0];
      if (req.method === "GET" && path === "/ping") return void res.writeHead(200).end("PONG");
      if (path !== WEBHOOK_PATH) return void res.writeHead(404).end();
      if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
      void readDelivery(req, settings.webhookSecret, budget).then(async (read) => {
        // Timed out (Node answered 408) or the client left: nobody to answer.
        if (res.headersSent || req.socket.destroyed) return;
        if ("refused" in read) {
          // Names and sizes only: an unverified body is never logged.
          log.warn({ delivery: read.id, event: read.event, status: read.status }, read.refused);
          res.writeHead(read.status, { "content-type": "text/plain" });
          res.end(`${read.refused}\n`);
          // The rest of the body is discarded, not kept, for a moment so the client reads the answer
          // (closing at once would reset the connection under it), then the connection is cut.
          req.resume();
          if (!req.complete) setTimeout(() => req.destroy(), WEBHOOK_LIMITS.lingerMs).unref();
          return;
        }
        const status = await receive(probot, read, log);
        res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok\n" : "error\n");
      });
    },
  );
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

/** Hands a verified delivery to the app; its handlers only check and enqueue, so this is quick. */
async function receive(probot: Probot, delivery: Delivery, log: Logger): Promise<number> {
  try {
    await probot.receive({ id: delivery.id, name: delivery.event, payload: delivery.payload } as Parameters<
      Probot["receive"]
    >[0]);
    return 200;
  } catch (error) {
    log.error({ delivery: delivery.id, event: delivery.event }, `delivery failed: ${String(error)}`);
    return 500;
  }
}
