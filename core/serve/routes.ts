import type { IncomingMessage } from "node:http";
import type { Prediction } from "../model/index.js";
import { csvRows } from "./csv.js";
import { checkFinitePrediction } from "./finite.js";
import { HttpError, readBody } from "./http.js";
import type { PredictionLog } from "./log.js";
import type { Metrics } from "./metrics.js";
import { mlflowRows } from "./mlflow.js";
import type { ModelHolder, Served } from "./model.js";
import { bestOf, type FieldOf, predictionsJson, type Row } from "./rows.js";
import { v1Metadata, v1Rows, v1Status } from "./v1.js";
import { v2Metadata, v2Response, v2Rows } from "./v2.js";

export interface Reply {
  status: number;
  /** Sent as JSON, or as is when a string (JSON already, unless `contentType` says otherwise). */
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

/** What the routes share: the model a path names, the request body, scoring. */
interface Serving {
  /** The model named in the path, or 404; `version` must be the one being served. */
  served(ctx: RouteContext): Served;
  /** The body of a request to a model route: 404 before it is read, then the model serving now. */
  read(ctx: RouteContext): Promise<{ model: Served; body: Buffer }>;
  /** Scores with the model the request was parsed against, then counts and logs. */
  predict(ctx: RouteContext, model: Served, rows: Row[], fieldOf: FieldOf): Promise<Prediction>;
}

const json = (body: unknown, status = 200): Reply => ({ status, body });
const route = (label: string, pattern: RegExp, methods: Route["methods"]): Route => ({
  label,
  pattern,
  methods,
});
/** A route under /v1/models/NAME or /v2/models/NAME, optionally /versions/VERSION. */
const modelRoute = (prefix: string, suffix: string, methods: Route["methods"]): Route =>
  route(
    `${prefix}/models/:name${suffix}`,
    new RegExp(`^${prefix}/models/([^/:]+)(?:/versions/([^/:]+))?${suffix}$`),
    methods,
  );

/** Every route: TF Serving v1, Open Inference Protocol v2, MLflow's scoring server, health, metrics. */
export function createRoutes(deps: RouteDeps): Route[] {
  const serving = servingOf(deps);
  return [
    ...v1Routes(deps, serving),
    ...v2Routes(deps, serving),
    ...mlflowRoutes(deps, serving),
    ...opsRoutes(deps),
  ];
}

function servingOf(deps: RouteDeps): Serving {
  const { holder, modelName } = deps;
  const served = (ctx: RouteContext) => {
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
  return {
    served,
    async read(ctx) {
      served(ctx);
      const body = await readBody(ctx.req, deps.maxBodyBytes);
      return { model: served(ctx), body };
    },
    predict: (ctx, model, rows, fieldOf) =>
      model.predict(rows, fieldOf).then((prediction) => {
        checkFinitePrediction(prediction, fieldOf);
        count(model, prediction);
        deps.log?.append({
          requestId: ctx.requestId,
          time: Date.now(),
          model: modelName,
          version: model.version,
          rows,
          columns: model.logColumns,
          prediction,
        });
        return prediction;
      }),
  };
}

/** TensorFlow Serving's REST API: predict, model metadata, model status. */
function v1Routes(deps: RouteDeps, { served, read, predict }: Serving): Route[] {
  return [
    modelRoute("/v1", ":predict", {
      POST: async (ctx) => {
        const { model, body } = await read(ctx);
        const { rows, fieldOf } = v1Rows(model.loaded.preprocessor, body);
        return json(predictionsJson(await predict(ctx, model, rows, fieldOf)));
      },
    }),
    modelRoute("/v1", "/metadata", {
      GET: (ctx) => {
        const model = served(ctx);
        return json(v1Metadata(deps.modelName, model.version, model.loaded.preprocessor));
      },
    }),
    modelRoute("/v1", "", { GET: (ctx) => json(v1Status(served(ctx).version)) }),
  ];
}

/** Open Inference Protocol v2 (KServe): infer, model readiness, model metadata, server metadata. */
function v2Routes(deps: RouteDeps, { served, read, predict }: Serving): Route[] {
  return [
    modelRoute("/v2", "/infer", {
      POST: async (ctx) => {
        const { model, body } = await read(ctx);
        const parsed = v2Rows(model.loaded.preprocessor, body);
        const prediction = await predict(ctx, model, parsed.rows, parsed.fieldOf);
        return json(v2Response(deps.modelName, model.version, parsed, prediction));
      },
    }),
    modelRoute("/v2", "/ready", {
      GET: (ctx) => {
        served(ctx);
        return readiness(deps);
      },
    }),
    modelRoute("/v2", "", {
      GET: (ctx) => {
        const model = served(ctx);
        return json(v2Metadata(deps.modelName, model.version, model.loaded.preprocessor));
      },
    }),
    route("/v2", /^\/v2\/?$/, {
      GET: () => json({ name: "modelgate", version: deps.serverVersion, extensions: [] }),
    }),
  ];
}

/** MLflow's scoring server: /invocations (JSON or CSV) and its version, as text. */
function mlflowRoutes(deps: RouteDeps, { predict }: Serving): Route[] {
  return [
    route("/invocations", /^\/invocations$/, {
      POST: async (ctx) => {
        const body = await readBody(ctx.req, deps.maxBodyBytes);
        const model = deps.holder.current();
        const { rows, fieldOf } = isCsv(ctx.req)
          ? csvRows(body)
          : mlflowRows(model.loaded.preprocessor, body);
        return json(predictionsJson(await predict(ctx, model, rows, fieldOf)));
      },
    }),
    route("/version", /^\/version$/, {
      GET: () => ({ status: 200, body: deps.serverVersion, contentType: "text/plain; charset=utf-8" }),
    }),
  ];
}

/** Health checks (v2's, MLflow's and load balancers') and Prometheus metrics. */
function opsRoutes(deps: RouteDeps): Route[] {
  const ready = () => readiness(deps);
  return [
    route("/v2/health/live", /^\/v2\/health\/live$/, { GET: () => json({ live: true }) }),
    route("/v2/health/ready", /^\/v2\/health\/ready$/, { GET: ready }),
    route("/ping", /^\/(ping|health)$/, { GET: ready }),
    route("/metrics", /^\/metrics$/, {
      GET: () => {
        const model = deps.holder.current();
        const target = model.loaded.preprocessor.target;
        const classes = target.task === "classification" ? target.classes : undefined;
        const series = { model: deps.modelName, version: model.version, classes, predicted: model.predicted };
        return {
          status: 200,
          body: deps.metrics.render(series, { logDropped: deps.log?.dropped ?? 0 }),
          contentType: "text/plain; version=0.0.4; charset=utf-8",
        };
      },
    }),
  ];
}

function readiness(deps: RouteDeps): Reply {
  return json({ ready: deps.isReady() }, deps.isReady() ? 200 : 503);
}

function isCsv(req: IncomingMessage): boolean {
  return /^\s*text\/csv\b/i.test(req.headers["content-type"] ?? "");
}

/** Predictions per class for /metrics: each row's most probable class (the first of a tie), as argmax. */
function count(model: Served, prediction: Prediction): void {
  if (prediction.task === "regression") {
    model.predicted[0]! += prediction.values.length;
    return;
  }
  const { probabilities } = prediction;
  const k = prediction.classes.length;
  for (let at = 0; at < probabilities.length; at += k) model.predicted[bestOf(probabilities, at, k)]!++;
}
