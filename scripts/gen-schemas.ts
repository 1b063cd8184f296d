import { writeFile } from "node:fs/promises";
import { jsonSchemas } from "../schemas/generate.js";

for (const [file, text] of Object.entries(jsonSchemas())) {
  await writeFile(new URL(`../schemas/${file}`, import.meta.url), text);
  console.log(`wrote schemas/${file}`);
}
