// Writes the example's data: a seeded, learnable customer-churn table. Run: node generate.mjs
// Committed output; re-running gives the same bytes.
import { writeFileSync } from "node:fs";

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const pick = (items, weights) => {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, w] of weights.entries()) {
    r -= w;
    if (r < 0) return items[i];
  }
  return items.at(-1);
};

const header = [
  "customer_id",
  "age",
  "tenure_months",
  "monthly_charges",
  "support_calls",
  "contract",
  "payment",
  "region",
  "has_partner",
  "churned",
];
function row(id) {
  const age = Math.max(18, Math.min(90, Math.round(42 + 14 * normal())));
  const tenure = Math.max(0, Math.round(-Math.log(1 - random()) * 24));
  const contract = pick(["month-to-month", "one-year", "two-year"], [5, 3, 2]);
  const payment = pick(["card", "bank", "check"], [4, 4, 2]);
  const region = pick(["north", "south", "east", "west"], [1, 1, 1, 1]);
  const charges = Math.round((40 + 50 * random() + (contract === "month-to-month" ? 10 : 0)) * 100) / 100;
  const calls = Math.min(12, Math.floor(-Math.log(1 - random()) * 1.6));
  const partner = random() < 0.45;
  const z =
    -0.6 +
    0.55 * calls -
    0.045 * tenure +
    0.025 * (charges - 65) +
    (contract === "month-to-month" ? 1.3 : contract === "one-year" ? -0.2 : -1.2) +
    (payment === "check" ? 0.5 : 0) -
    (partner ? 0.4 : 0) +
    0.4 * normal();
  const churned = random() < 1 / (1 + Math.exp(-2 * z)) ? "yes" : "no";
  // A few honest gaps, as real exports have.
  const chargesCell = random() < 0.01 ? "" : charges.toFixed(2);
  return [
    `C${String(id).padStart(5, "0")}`,
    age,
    tenure,
    chargesCell,
    calls,
    contract,
    payment,
    region,
    partner,
    churned,
  ];
}
const write = (file, from, count) => {
  const lines = [header.join(",")];
  for (let i = 0; i < count; i++) lines.push(row(from + i).join(","));
  writeFileSync(new URL(file, import.meta.url), `${lines.join("\n")}\n`);
};
write("./data/train.csv", 1, 4000);
write("./data/test.csv", 4001, 1000);
// "Production" data a few months later: longer tenures, more support calls, a new payment mix.
const live = [header.slice(0, -1).join(",")];
for (let i = 0; i < 1000; i++) {
  const r = row(9001 + i);
  r[2] = Number(r[2]) + 12;
  r[4] = Math.min(12, Number(r[4]) + (random() < 0.5 ? 2 : 0));
  r[6] = random() < 0.6 ? "wallet" : r[6];
  live.push(r.slice(0, -1).join(","));
}
writeFileSync(new URL("./data/live.csv", import.meta.url), `${live.join("\n")}\n`);
