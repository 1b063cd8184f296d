import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { predict, trainModel, transform } from "../../core/model/index.js";
import { fromTfjs, layerShapes, toTfjs } from "../../core/model/network.js";
import { silentLogger } from "../../core/ports.js";
import { classificationTable, config } from "./data.js";

const probabilities = (p: ReturnType<typeof predict>) => (p.task === "classification" ? p.probabilities : []);

describe("training returns a plain network; tfjs is one serializer of it", () => {
  it.each(["relu", "tanh", "elu"] as const)(
    "%s: the network, its tfjs model and the kernels agree",
    async (activation) => {
      const table = classificationTable(150, ["no", "yes", "maybe"]);

      const trained = await trainModel(table, config({ activation, epochs: 4 }), {
        target: "label",
        logger: silentLogger,
      });
      const { x, rows } = transform(trained.preprocessor, table);
      const viaNetwork = probabilities(predict(trained, table));
      const viaTfjsLayers = probabilities(predict({ ...trained, network: undefined }, table));
      const serialized = toTfjs(trained.network);
      const viaTfjsPredict = (
        serialized.predict(tf.tensor2d(x, [rows, trained.inputDim])) as tf.Tensor
      ).dataSync();

      expect(trained.network.shapes).toEqual(layerShapes([16, 8], trained.inputDim, 3));
      expect(trained.network).toMatchObject({ activation, output: "softmax" });
      expect(fromTfjs(trained.model)).toEqual(trained.network);
      expect(fromTfjs(serialized)).toEqual(trained.network);
      expect(Array.from(viaNetwork)).toEqual(Array.from(viaTfjsLayers));
      const worst = Math.max(...Array.from(viaNetwork, (p, i) => Math.abs(p - viaTfjsPredict[i]!)));
      expect(worst).toBeLessThan(1e-5);
      serialized.dispose();
      trained.model.dispose();
    },
  );

  it("a tfjs model that is not a Dense stack has no plain network", () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 3 }),
        tf.layers.dropout({ rate: 0.1 }),
        tf.layers.dense({ units: 2, activation: "softmax" }),
      ],
    });

    expect(fromTfjs(model)).toBeUndefined();
    model.dispose();
  });
});
