// Writes the example's data: a seeded, learnable house-price table (price in thousands). Run: node generate.mjs
// Committed output; re-running gives the same bytes.
import { mkdirSync, writeFileSync } from "node:fs";

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(11);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const pick = (items, weights) => {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, w] of weights.entries()) {
    r -= w;
    if (r < 0) return items[i];
  }
  return items.at(-1);
};
const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

const header = [
  "house_id",
  "sqft",
  "bedrooms",
  "bathrooms",
  "age_years",
  "lot_acres",
  "neighborhood",
  "has_garage",
  "distance_km",
  "price",
];
const premium = { downtown: 90, riverside: 60, suburbs: 0, hills: 35, industrial: -40 };
const neighborhoods = Object.keys(premium);

/** `shift` moves the feature distributions: newer, larger houses further out, a new mix of neighbourhoods. */
function row(id, shift = 0) {
  const neighborhood = pick(neighborhoods, shift ? [1, 1, 5, 2, 1] : [2, 2, 3, 2, 1]);
  const sqft = Math.round(clamp(1600 + 550 * normal() + 400 * shift, 400, 6000));
  const bedrooms = clamp(Math.round(sqft / 650 + 0.6 * normal()), 1, 8);
  const bathrooms = clamp(Math.round((bedrooms * 0.6 + 0.5 * normal()) * 2) / 2, 1, 5);
  const age = Math.round(clamp(-Math.log(1 - random()) * (shift ? 8 : 25), 0, 150));
  const lot =
    Math.round(clamp(0.25 + 0.2 * normal() + (neighborhood === "hills" ? 0.4 : 0), 0.02, 5) * 100) / 100;
  const garage = random() < (neighborhood === "downtown" ? 0.3 : 0.75);
  const distance =
    Math.round(
      clamp((neighborhood === "downtown" ? 2 : 12) + 5 * Math.abs(normal()) + 6 * shift, 0.1, 80) * 10,
    ) / 10;
  const price =
    60 +
    0.14 * sqft +
    12 * bedrooms +
    18 * bathrooms -
    0.9 * age +
    40 * lot +
    premium[neighborhood] +
    (garage ? 15 : 0) -
    2.5 * distance +
    18 * normal();
  // A few honest gaps, as real exports have.
  const lotCell = random() < 0.01 ? "" : lot.toFixed(2);
  return [
    `H${String(id).padStart(5, "0")}`,
    sqft,
    bedrooms,
    bathrooms,
    age,
    lotCell,
    neighborhood,
    garage,
    distance,
    Math.max(20, price).toFixed(1),
  ];
}
const write = (file, rows) =>
  writeFileSync(new URL(file, import.meta.url), `${rows.map((r) => r.join(",")).join("\n")}\n`);
const table = (from, count, shift) => Array.from({ length: count }, (_, i) => row(from + i, shift));

mkdirSync(new URL("./data/", import.meta.url), { recursive: true });
write("./data/train.csv", [header, ...table(1, 3000, 0)]);
write("./data/test.csv", [header, ...table(3001, 800, 0)]);
// "Production" listings a year later, without prices: bigger, newer houses further from the centre.
write("./data/live.csv", [header.slice(0, -1), ...table(9001, 800, 1).map((r) => r.slice(0, -1))]);
