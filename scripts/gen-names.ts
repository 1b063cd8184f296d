import { writeFile } from "node:fs/promises";
import { METHOD_INPUTS, NAMES_FILE, namesFile, readRepo, withMethodList } from "./plugin-names.js";

await writeFile(new URL(`../${NAMES_FILE}`, import.meta.url), namesFile());
console.log(`wrote ${NAMES_FILE}`);
for (const file of METHOD_INPUTS) {
  await writeFile(new URL(`../${file}`, import.meta.url), withMethodList(await readRepo(file)));
  console.log(`wrote ${file} (drift methods)`);
}
