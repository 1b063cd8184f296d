/**
 * Prometheus text exposition, written by hand: a few counters and one histogram need no library,
 * and recording is a Map lookup and an increment on the request path.
 */
// Seconds; a served row takes well under a millisecond, a large batch tens of milliseconds.
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export interface ModelSeries {
  model: string;
  version: string;
  /** Class labels, or undefined for regression. */
  classes: string[] | undefined;
  predicted: number[];
}

export interface Metrics {
  request(route: string, method: string, status: number, seconds: number): void;
  error(route: string, kind: string): void;
  modelCall(rows: number): void;
  readonly modelCalls: number;
  render(model: ModelSeries, extra: { logDropped: number }): string;
}

/** One route's counts by method and status, and its latency histogram. */
interface RouteSeries {
  byMethod: Map<string, Map<number, number>>;
  histogram: Histogram;
}

/** What is counted. Keyed by raw route and method: escaped only when rendered, so a request builds no strings. */
interface Counts {
  routes: Map<string, RouteSeries>;
  /** Keyed by the rendered labels: errors are rare. */
  errors: Map<string, number>;
  modelCalls: number;
  modelRows: number;
}

export function createMetrics(): Metrics {
  const counts: Counts = { routes: new Map(), errors: new Map(), modelCalls: 0, modelRows: 0 };
  return {
    request(route, method, status, seconds) {
      let series = counts.routes.get(route);
      if (!series) {
        series = {
          byMethod: new Map(),
          histogram: { counts: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 },
        };
        counts.routes.set(route, series);
      }
      let statuses = series.byMethod.get(method);
      if (!statuses) {
        statuses = new Map();
        series.byMethod.set(method, statuses);
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const histogram = series.histogram;
      // Cumulative at render time: here only the first bucket that holds the value is counted.
      let bucket = 0;
      while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket++;
      if (bucket < BUCKETS.length) histogram.counts[bucket]!++;
      histogram.sum += seconds;
      histogram.count++;
    },
    error(route, kind) {
      const key = `route="${label(route)}",kind="${label(kind)}"`;
      counts.errors.set(key, (counts.errors.get(key) ?? 0) + 1);
    },
    modelCall(rows) {
      counts.modelCalls++;
      counts.modelRows += rows;
    },
    get modelCalls() {
      return counts.modelCalls;
    },
    render: (model, extra) => render(counts, model, extra),
  };
}

function render(counts: Counts, model: ModelSeries, extra: { logDropped: number }): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string) =>
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  family("modelgate_requests_total", "counter", "HTTP requests by route, method and status.");
  for (const [route, series] of counts.routes)
    for (const [method, statuses] of series.byMethod)
      for (const [status, value] of statuses)
        out.push(
          `modelgate_requests_total{route="${label(route)}",method="${label(method)}",status="${status}"} ${value}`,
        );
  family("modelgate_request_duration_seconds", "histogram", "Request latency by route.");
  for (const [route, { histogram: h }] of counts.routes) {
    const labels = `route="${label(route)}"`;
    let cumulative = 0;
    BUCKETS.forEach((le, i) => {
      cumulative += h.counts[i]!;
      out.push(`modelgate_request_duration_seconds_bucket{${labels},le="${le}"} ${cumulative}`);
    });
    out.push(`modelgate_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
    out.push(`modelgate_request_duration_seconds_sum{${labels}} ${h.sum}`);
    out.push(`modelgate_request_duration_seconds_count{${labels}} ${h.count}`);
  }
  family("modelgate_errors_total", "counter", "Requests refused or failed, by route and kind.");
  for (const [labels, value] of counts.errors) out.push(`modelgate_errors_total{${labels}} ${value}`);
  family("modelgate_predictions_total", "counter", "Predicted rows by model version and class.");
  const base = `model="${label(model.model)}",version="${label(model.version)}"`;
  model.predicted.forEach((value, i) => {
    const cls = model.classes ? `,class="${label(model.classes[i] ?? "")}"` : "";
    out.push(`modelgate_predictions_total{${base}${cls}} ${value}`);
  });
  family("modelgate_model_calls_total", "counter", "Tensor calls; fewer than requests when micro-batched.");
  out.push(`modelgate_model_calls_total ${counts.modelCalls}`);
  family("modelgate_model_rows_total", "counter", "Rows sent to the model.");
  out.push(`modelgate_model_rows_total ${counts.modelRows}`);
  family("modelgate_model_info", "gauge", "The model version being served.");
  out.push(`modelgate_model_info{${base}} 1`);
  family("modelgate_prediction_log_dropped_total", "counter", "Log lines dropped: the writer fell behind.");
  out.push(`modelgate_prediction_log_dropped_total ${extra.logDropped}`);
  return `${out.join("\n")}\n`;
}

function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
