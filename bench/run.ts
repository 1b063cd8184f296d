import { benchValidate } from "./validate.js";

const all: Record<string, () => Promise<void>> = { validate: benchValidate };
const chosen = process.argv.slice(2);
for (const [name, bench] of Object.entries(all)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  console.log(`\n## ${name}`);
  await bench();
}
