import { writeFile } from "node:fs/promises";
import { KERNELS_WAT, kernelsWat } from "./kernels-wat.js";

await writeFile(KERNELS_WAT, await kernelsWat());
console.log("wrote core/model/kernels/kernels.wat");
