import { describe, expect, test } from "vitest";
import { confusionMatrix, getMetric, perClass, predicted } from "../../core/metrics/index.js";
import { mulberry32 } from "../../core/stats/index.js";
import { classification, fromPredictions, materialise } from "./fixtures.js";

function score(name: string, data: ReturnType<typeof classification>): number {
  return getMetric("classification", name)!.compute(data);
}

describe("accuracy-type metrics", () => {
  test("accuracy: scikit-learn accuracy_score docstring, y_pred=[0,2,1,3] y_true=[0,1,2,3] -> 0.5", () => {
    const data = fromPredictions([0, 1, 2, 3], [0, 2, 1, 3], 4);

    expect(score("accuracy", data)).toBe(0.5);
  });

  test("balanced_accuracy: scikit-learn docstring, y_true=[0,1,0,0,1,0] y_pred=[0,1,0,0,0,1] -> 0.625", () => {
    const data = fromPredictions([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1], 2);

    expect(score("balanced_accuracy", data)).toBeCloseTo(0.625, 12);
  });

  test("balanced_accuracy ignores a class that is only predicted, never true (hand-computed)", () => {
    // class 2 has no true rows: recalls are 1/2 (class 0) and 1/1 (class 1), mean 0.75.
    const data = fromPredictions([0, 0, 1], [0, 2, 1], 3);

    expect(score("balanced_accuracy", data)).toBeCloseTo(0.75, 12);
  });
});

describe("precision, recall, F1", () => {
  // scikit-learn f1_score / precision_score / recall_score docstrings:
  // y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1].
  const docs = fromPredictions([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], 3);

  test.each([
    ["f1_macro", 0.26666666666666666],
    ["f1_weighted", 0.26666666666666666],
    ["precision_macro", 0.2222222222222222],
    ["precision_weighted", 0.2222222222222222],
    ["recall_macro", 0.3333333333333333],
    ["recall_weighted", 0.3333333333333333],
  ])("%s matches the scikit-learn docstring value %d", (name, expected) => {
    expect(score(name, docs)).toBeCloseTo(expected, 12);
  });

  test("zero_division=0: precision_score docstring with y_pred all 0 gives per-class [1/3, 0, 0]", () => {
    const data = fromPredictions([0, 1, 2, 0, 1, 2], [0, 0, 0, 0, 0, 0], 3);

    expect(perClass(data).map((c) => c.precision)).toEqual([1 / 3, 0, 0]);
    expect(score("precision_macro", data)).toBeCloseTo(1 / 9, 12);
  });

  test("weighted averages weigh by support (hand-computed, unbalanced classes)", () => {
    // class 0: 3 true, 2 hit, 1 false positive -> P 2/3, R 2/3, F1 2/3
    // class 1: 1 true, 0 hit, 1 false positive -> P 0, R 0, F1 0
    const data = fromPredictions([0, 0, 0, 1], [0, 0, 1, 0], 2);

    expect(score("f1_weighted", data)).toBeCloseTo((3 * (2 / 3) + 1 * 0) / 4, 12);
    expect(score("f1_macro", data)).toBeCloseTo(1 / 3, 12);
  });
});

describe("roc_auc", () => {
  test("binary: scikit-learn example y=[0,0,1,1], scores=[0.1,0.4,0.35,0.8] -> 0.75", () => {
    const data = classification(
      [0, 0, 1, 1],
      [0.1, 0.4, 0.35, 0.8].map((s) => [1 - s, s]),
    );

    expect(score("roc_auc", data)).toBeCloseTo(0.75, 12);
  });

  test("a tie between a positive and a negative counts one half (midranks; hand-computed 3.5/4)", () => {
    const data = classification(
      [0, 1, 0, 1],
      [0.5, 0.5, 0.2, 0.8].map((s) => [1 - s, s]),
    );

    expect(score("roc_auc", data)).toBeCloseTo(0.875, 12);
  });

  test("multiclass: unweighted mean of one-vs-rest AUCs (hand-computed)", () => {
    const data = classification(
      [0, 1, 2, 0, 1, 2],
      [
        [0.7, 0.2, 0.1],
        [0.3, 0.4, 0.3],
        [0.2, 0.5, 0.3],
        [0.2, 0.3, 0.5],
        [0.1, 0.8, 0.1],
        [0.1, 0.1, 0.8],
      ],
    );
    // class 0: positives {0.7, 0.2} vs negatives {0.3, 0.2, 0.1, 0.1}: (4 + 0.5 + 2) / 8
    // class 1: positives {0.4, 0.8} vs negatives {0.2, 0.5, 0.3, 0.1}: (3 + 4) / 8
    // class 2: positives {0.3, 0.8} vs negatives {0.1, 0.3, 0.5, 0.1}: (2 + 0.5 + 4) / 8
    const expected = (6.5 / 8 + 7 / 8 + 6.5 / 8) / 3;

    expect(score("roc_auc", data)).toBeCloseTo(expected, 6);
  });

  test("agrees with a brute-force count over all positive/negative pairs, ties and a resample included", () => {
    const random = mulberry32(3);
    // Scores on a coarse grid, so many rows tie.
    const scores = Array.from({ length: 60 }, () => Math.round(random() * 10) / 10);
    const labels = scores.map((s) => (random() < s ? 1 : 0));
    const data = classification(
      labels,
      scores.map((s) => [1 - s, s]),
    );
    const index = Int32Array.from({ length: 80 }, () => Math.floor(random() * 60));
    const rows = Array.from(index);
    let wins = 0;
    let pairs = 0;
    for (const p of rows.filter((i) => labels[i] === 1)) {
      for (const n of rows.filter((i) => labels[i] === 0)) {
        pairs += 1;
        wins += scores[p]! > scores[n]! ? 1 : scores[p] === scores[n] ? 0.5 : 0;
      }
    }

    const metric = getMetric("classification", "roc_auc")!;

    expect(metric.compute(data, index)).toBeCloseTo(wins / pairs, 12);
    expect(metric.compute(materialise(data, index))).toBeCloseTo(wins / pairs, 12);
  });

  test("undefined (NaN) when the labels hold a single class", () => {
    const data = classification(
      [1, 1],
      [
        [0.3, 0.7],
        [0.6, 0.4],
      ],
    );

    expect(score("roc_auc", data)).toBeNaN();
  });
});

describe("log_loss", () => {
  test("scikit-learn docstring: spam/ham example -> 0.21616187468057912", () => {
    const data = classification(
      [1, 0, 0, 1],
      [
        [0.1, 0.9],
        [0.9, 0.1],
        [0.8, 0.2],
        [0.35, 0.65],
      ],
      ["ham", "spam"],
    );

    expect(score("log_loss", data)).toBeCloseTo(0.21616187468057912, 6);
  });

  test("a probability of 0 on the true class is clipped to 1e-15, not infinite", () => {
    const data = classification([0], [[0, 1]]);

    expect(score("log_loss", data)).toBeCloseTo(-Math.log(1e-15), 6);
  });
});

describe("non-scalar results", () => {
  test("confusion matrix: scikit-learn docstring y_true=[2,0,2,2,0,1] y_pred=[0,0,2,2,0,2]", () => {
    const data = fromPredictions([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3);

    expect(confusionMatrix(data)).toEqual({
      classes: ["c0", "c1", "c2"],
      matrix: [
        [2, 0, 0],
        [0, 0, 1],
        [1, 0, 2],
      ],
    });
  });

  test("per-class precision, recall, F1 and support, classes absent from the data included", () => {
    const data = fromPredictions([0, 0, 1], [0, 1, 1], 3);

    expect(perClass(data)).toEqual([
      { class: "c0", precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
      { class: "c1", precision: 0.5, recall: 1, f1: 2 / 3, support: 1 },
      { class: "c2", precision: 0, recall: 0, f1: 0, support: 0 },
    ]);
  });

  test("argmax ties go to the lowest class index", () => {
    const data = classification(
      [0, 1],
      [
        [0.4, 0.4, 0.2],
        [0.1, 0.45, 0.45],
      ],
    );

    expect(Array.from(predicted(data))).toEqual([0, 1]);
  });
});
