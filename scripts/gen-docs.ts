import { writeFile } from "node:fs/promises";
import { generatedDocs } from "./docs.js";

for (const [file, text] of Object.entries(await generatedDocs())) {
  await writeFile(new URL(`../docs/${file}`, import.meta.url), text);
  console.log(`wrote docs/${file}`);
}
