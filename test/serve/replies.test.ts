import { describe, expect, it } from "vitest";
import type { Prediction } from "../../core/model/index.js";
import { scheduler } from "../../core/serve/batcher.js";
import { createMetrics } from "../../core/serve/metrics.js";
import { predictionRows, predictionsJson } from "../../core/serve/rows.js";

describe("predictionsJson", () => {
  it("writes what JSON.stringify writes for classification: ties, quotes, integer-like names listed first", () => {
    const probabilities = Float32Array.from([
      0.5,
      0.5,
      0,
      1e-7,
      0.9999999,
      1e-30,
      1 / 3,
      1 / 3,
      1 / 3,
      0,
      0,
      1,
    ]);
    const prediction: Prediction = {
      task: "classification",
      classes: ['say "no"', "é\u2028", "3"],
      probabilities,
    };

    const text = predictionsJson(prediction);

    expect(text).toBe(JSON.stringify({ predictions: predictionRows(prediction) }));
    expect(JSON.parse(text).predictions.map((p: { label: string }) => p.label)).toEqual([
      'say "no"',
      "é\u2028",
      'say "no"',
      "3",
    ]);
  });

  it("writes what JSON.stringify writes for numeric class names in any order", () => {
    const classes = ["10", "2", "b", "a", "0", "01"];
    const probabilities = Float32Array.from({ length: 12 }, (_, i) => (i % 6) / 15);
    const prediction: Prediction = { task: "classification", classes, probabilities };

    expect(predictionsJson(prediction)).toBe(JSON.stringify({ predictions: predictionRows(prediction) }));
  });

  it("writes what JSON.stringify writes for regression, -0 and large values included", () => {
    const prediction: Prediction = {
      task: "regression",
      values: Float64Array.from([-0, 1.5e21, -2.25, 123456.789]),
    };

    expect(predictionsJson(prediction)).toBe(JSON.stringify({ predictions: predictionRows(prediction) }));
  });

  it("writes an empty list for no rows", () => {
    const prediction: Prediction = { task: "regression", values: new Float64Array(0) };

    expect(predictionsJson(prediction)).toBe('{"predictions":[]}');
  });
});

describe("scheduler", () => {
  it("runs the flush once for everything scheduled in the same turn, then again when asked again", async () => {
    let flushes = 0;
    const schedule = scheduler(0, () => flushes++);

    schedule();
    schedule();
    schedule();
    await new Promise((resolve) => setImmediate(resolve));
    const afterFirst = flushes;
    schedule();
    await new Promise((resolve) => setImmediate(resolve));

    expect([afterFirst, flushes]).toEqual([1, 2]);
  });
});

describe("metrics", () => {
  it("counts requests by route, method and status, escaping labels only in the text", () => {
    const metrics = createMetrics();

    metrics.request("/a", "POST", 200, 0.0004);
    metrics.request("/a", "POST", 200, 0.003);
    metrics.request("/a", "GET", 404, 0.02);
    metrics.request('/b"\\', "GET", 200, 9);
    const text = metrics.render(
      { model: "m", version: "1", classes: undefined, predicted: [0] },
      { logDropped: 0 },
    );

    expect(text.split("\n").filter((line) => line.startsWith("modelgate_requests_total"))).toEqual([
      'modelgate_requests_total{route="/a",method="POST",status="200"} 2',
      'modelgate_requests_total{route="/a",method="GET",status="404"} 1',
      'modelgate_requests_total{route="/b\\"\\\\",method="GET",status="200"} 1',
    ]);
    expect(text).toContain('modelgate_request_duration_seconds_bucket{route="/a",le="0.0005"} 1');
    expect(text).toContain('modelgate_request_duration_seconds_bucket{route="/a",le="0.005"} 2');
    expect(text).toContain('modelgate_request_duration_seconds_bucket{route="/a",le="2.5"} 3');
    expect(text).toContain('modelgate_request_duration_seconds_bucket{route="/b\\"\\\\",le="2.5"} 0');
    expect(text).toContain('modelgate_request_duration_seconds_bucket{route="/b\\"\\\\",le="+Inf"} 1');
  });
});
