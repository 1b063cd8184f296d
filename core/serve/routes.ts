import type { IncomingMessage } from "node:http";
import { argmax, type Prediction } from "../model/index.js";
import { csvRows } from "./csv.js";
import { checkFinitePrediction } from "./finite.js";
import { HttpError, readBody } from "./http.js";
import type { PredictionLog } from "./log.js";
import type { Metrics } from "./metrics.js";
import { mlflowRows } from "./mlflow.js";
import type { ModelHolder, Served } from "./model.js";
import type { FieldOf, Row } from "./rows.js";
import { v1Metadata, v1Response, v1Rows, v1Status } from "./v1.js";
import { v2Metadata, v2Response, v2Rows } from "./v2.js";

export interface Reply {
  status: number;
  /** Sent as JSON, or as is when a string (with `contentType`). */
  body: unknown;
  contentType?: string;
}

export interface RouteContext {
  req: IncomingMessage;
  /** Path parameters: the model name and version when the route has them. */
  name: string | undefined;
  version: string | undefined;
  requestId: string;
}

type Handler = (ctx: RouteContext) => Promise<Reply> | Reply;

export interface Route {
  /** The pattern, as /metrics labels it (bounded, unlike raw paths). */
  label: string;
  pattern: RegExp;
  methods: Partial<Record<"GET" | "POST", Handler>>;
}

export interface RouteDeps {
  modelName: string;
  holder: ModelHolder;
  metrics: Metrics;
  log: PredictionLog | undefined;
  maxBodyBytes: number;
  serverVersion: string;
  isReady: () => boolean;
}

const MODEL = "([^/:]+)(?:/versions/([^/:]+))?";

export function createRoutes(deps: RouteDeps): Route[] {
  const { holder, modelName } = deps;

  /** The model named in the path, or 404; `version` must be the one being served. */
  const served = (ctx: RouteContext): Served => {
    const current = holder.current();
    if (ctx.name !== modelName) {
      throw new HttpError(404, `model "${ctx.name}" not found; this server serves "${modelName}"`);
    }
    if (ctx.version !== undefined && ctx.version !== current.version) {
      throw new HttpError(
        404,
        `model "${modelName}" version "${ctx.version}" not found; serving "${current.version}"`,
      );
    }
    return current;
  };

  /** Encode with the model the request was parsed against, batch, count, log. */
  const predict = async (ctx: RouteContext, model: Served, rows: Row[], fieldOf: FieldOf) => {
    const prep = model.loaded.preprocessor;
    const prediction = await model.predict(rows, fieldOf);
    checkFinitePrediction(prediction, fieldOf);
    count(model, prediction);
    deps.log?.append({
      requestId: ctx.requestId,
      time: Date.now(),
      model: modelName,
      version: model.version,
      rows,
      columns: [...prep.features.map((f) => f.name), ...(prep.id ? [prep.id] : [])],
      prediction,
    });
    return prediction;
  };

  const json = (body: unknown, status = 200): Reply => ({ status, body });
  const bodyOf = (ctx: RouteContext) => readBody(ctx.req, deps.maxBodyBytes);
  const live = () => json({ live: true });
  const ready = () => json({ ready: deps.isReady() }, deps.isReady() ? 200 : 503);

  return [
    {
      label: "/v1/models/:name:predict",
      pattern: new RegExp(`^/v1/models/${MODEL}:predict$`),
      methods: {
        POST: async (ctx) => {
          served(ctx);
          const body = await bodyOf(ctx);
          const model = served(ctx);
          const { rows, fieldOf } = v1Rows(model.loaded.preprocessor, body);
          return json(v1Response(await predict(ctx, model, rows, fieldOf)));
        },
      },
    },
    {
      label: "/v1/models/:name/metadata",
      pattern: new RegExp(`^/v1/models/${MODEL}/metadata$`),
      methods: {
        GET: (ctx) => {
          const model = served(ctx);
          return json(v1Metadata(modelName, model.version, model.loaded.preprocessor));
        },
      },
    },
    {
      label: "/v1/models/:name",
      pattern: new RegExp(`^/v1/models/${MODEL}$`),
      methods: { GET: (ctx) => json(v1Status(served(ctx).version)) },
    },
    {
      label: "/v2/models/:name/infer",
      pattern: new RegExp(`^/v2/models/${MODEL}/infer$`),
      methods: {
        POST: async (ctx) => {
          served(ctx);
          const body = await bodyOf(ctx);
          const model = served(ctx);
          const parsed = v2Rows(model.loaded.preprocessor, body);
          const prediction = await predict(ctx, model, parsed.rows, parsed.fieldOf);
          return json(v2Response(modelName, model.version, parsed, prediction));
        },
      },
    },
    {
      label: "/v2/models/:name/ready",
      pattern: new RegExp(`^/v2/models/${MODEL}/ready$`),
      methods: {
        GET: (ctx) => {
          served(ctx);
          return ready();
        },
      },
    },
    {
      label: "/v2/models/:name",
      pattern: new RegExp(`^/v2/models/${MODEL}$`),
      methods: {
        GET: (ctx) => {
          const model = served(ctx);
          return json(v2Metadata(modelName, model.version, model.loaded.preprocessor));
        },
      },
    },
    { label: "/v2/health/live", pattern: /^\/v2\/health\/live$/, methods: { GET: live } },
    { label: "/v2/health/ready", pattern: /^\/v2\/health\/ready$/, methods: { GET: ready } },
    {
      label: "/v2",
      pattern: /^\/v2\/?$/,
      methods: { GET: () => json({ name: "modelgate", version: deps.serverVersion, extensions: [] }) },
    },
    {
      label: "/invocations",
      pattern: /^\/invocations$/,
      methods: {
        POST: async (ctx) => {
          const body = await bodyOf(ctx);
          const model = holder.current();
          const { rows, fieldOf } = isCsv(ctx.req)
            ? csvRows(body)
            : mlflowRows(model.loaded.preprocessor, body);
          return json(v1Response(await predict(ctx, model, rows, fieldOf)));
        },
      },
    },
    // MLflow's scoring server answers its version as text.
    {
      label: "/version",
      pattern: /^\/version$/,
      methods: {
        GET: () => ({ status: 200, body: deps.serverVersion, contentType: "text/plain; charset=utf-8" }),
      },
    },
    // MLflow's and common load balancers' health checks.
    { label: "/ping", pattern: /^\/(ping|health)$/, methods: { GET: ready } },
    {
      label: "/metrics",
      pattern: /^\/metrics$/,
      methods: {
        GET: () => {
          const model = holder.current();
          const target = model.loaded.preprocessor.target;
          const classes = target.task === "classification" ? target.classes : undefined;
          const series = { model: modelName, version: model.version, classes, predicted: model.predicted };
          return {
            status: 200,
            body: deps.metrics.render(series, { logDropped: deps.log?.dropped ?? 0 }),
            contentType: "text/plain; version=0.0.4; charset=utf-8",
          };
        },
      },
    },
  ];
}

function isCsv(req: IncomingMessage): boolean {
  return /^\s*text\/csv\b/i.test(req.headers["content-type"] ?? "");
}

function count(model: Served, prediction: Prediction): void {
  if (prediction.task === "regression") {
    model.predicted[0]! += prediction.values.length;
    return;
  }
  for (const c of argmax(prediction.probabilities, prediction.classes.length)) model.predicted[c]!++;
}
