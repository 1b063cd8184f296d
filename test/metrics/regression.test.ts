import { describe, expect, test } from "vitest";
import { getMetric } from "../../core/metrics/index.js";
import { regression } from "./fixtures.js";

function score(name: string, data: ReturnType<typeof regression>): number {
  return getMetric("regression", name)!.compute(data);
}

describe("regression metrics", () => {
  // scikit-learn's docstrings for mean_absolute_error, mean_squared_error, root_mean_squared_error,
  // r2_score and mean_absolute_percentage_error all use y_true=[3,-0.5,2,7], y_pred=[2.5,0.0,2,8].
  const docs = regression([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);

  test.each([
    ["mae", 0.5],
    ["mse", 0.375],
    ["rmse", 0.6123724356957945],
    ["r2", 0.9486081370449679],
    ["mape", 0.3273809523809524],
  ])("%s matches the scikit-learn docstring value %d", (name, expected) => {
    expect(score(name, docs)).toBeCloseTo(expected, 12);
  });

  test("mape puts float64 eps under a zero actual (scikit-learn docstring -> 112589990684262.48)", () => {
    const data = regression([1, 0, 2.4, 7], [1.2, 0.1, 2.4, 8]);

    expect(score("mape", data) / 112589990684262.48).toBeCloseTo(1, 12);
  });

  test.each([
    // scikit-learn r2_score docstring, including force_finite for a constant target
    [[1, 2, 3], [1, 2, 3], 1],
    [[1, 2, 3], [2, 2, 2], 0],
    [[1, 2, 3], [3, 2, 1], -3],
    [[-2, -2, -2], [-2, -2, -2], 1],
    [[-2, -2, -2], [-2, -2, -2 + 1e-8], 0],
  ])("r2(%j, %j) = %d", (actual, predicted, expected) => {
    expect(score("r2", regression(actual, predicted))).toBeCloseTo(expected, 12);
  });

  test("no rows gives NaN, not 0", () => {
    expect(score("mae", regression([], []))).toBeNaN();
  });
});
