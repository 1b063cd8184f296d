import { featureWidth } from "./preprocess.js";
import { prng } from "./random.js";
import type { Preprocessor } from "./schema.js";

// Share of the training rows copied, per categorical feature, with that feature read as unseen; the
// copies together stay under MAX_EXTRA of the rows so wide categorical data does not double its epoch.
const SHARE = 0.05;
const MAX_EXTRA = 0.2;

/**
 * An unseen or missing category encodes as the training mix (encode.ts), a point the network would
 * otherwise never see: its answer there depended on the seed (P(yes) 0.42-0.56 over three seeds in
 * test/model/unseen-category.test.ts's data). Seeded copies of some training rows with one category
 * replaced by the mix teach it the answer for "this category unknown" from the rows' own labels.
 */
export function withUnseenRows(
  prep: Preprocessor,
  data: { x: Float32Array; targets: Float32Array; train: Uint32Array },
  seed: number,
): { x: Float32Array; targets: Float32Array; train: Uint32Array } {
  const { x, targets, train } = data;
  const slots = categoricalSlots(prep);
  if (slots.length === 0 || train.length === 0) return data;
  const width = widthOf(prep);
  const rows = x.length / width;
  const outputs = targets.length / rows;
  const perFeature = Math.min(
    Math.ceil(train.length * SHARE),
    Math.floor((train.length * MAX_EXTRA) / slots.length),
  );
  if (perFeature === 0) return data;
  const extra = perFeature * slots.length;
  const outX = new Float32Array(x.length + extra * width);
  const outY = new Float32Array(targets.length + extra * outputs);
  outX.set(x);
  outY.set(targets);
  const random = prng(seed);
  let row = rows;
  for (const { offset, shares } of slots) {
    for (let k = 0; k < perFeature; k++, row++) {
      const source = train[Math.floor(random() * train.length)]!;
      outX.set(x.subarray(source * width, (source + 1) * width), row * width);
      outX.set(shares, row * width + offset);
      outY.set(targets.subarray(source * outputs, (source + 1) * outputs), row * outputs);
    }
  }
  const order = new Uint32Array(train.length + extra);
  order.set(train);
  for (let i = 0; i < extra; i++) order[train.length + i] = rows + i;
  return { x: outX, targets: outY, train: order };
}

function widthOf(prep: Preprocessor): number {
  return prep.features.reduce((sum, f) => sum + featureWidth(f), 0);
}

function categoricalSlots(prep: Preprocessor): { offset: number; shares: Float32Array }[] {
  const out: { offset: number; shares: Float32Array }[] = [];
  let offset = 0;
  for (const feature of prep.features) {
    if (feature.kind === "categorical" && feature.shares) {
      out.push({ offset, shares: Float32Array.from(feature.shares) });
    }
    offset += featureWidth(feature);
  }
  return out;
}
