import { readFile, writeFile } from "node:fs/promises";
import { withCommandTable } from "../bot/commands.js";
import { generatedDocs } from "./docs.js";

for (const [file, text] of Object.entries(await generatedDocs())) {
  await writeFile(new URL(`../docs/${file}`, import.meta.url), text);
  console.log(`wrote docs/${file}`);
}

// The README's chat-ops table comes from the bot's command table.
const readme = new URL("../README.md", import.meta.url);
await writeFile(readme, withCommandTable(await readFile(readme, "utf8")));
console.log("wrote README.md (chat-ops commands)");
