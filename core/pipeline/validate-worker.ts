import { parentPort, workerData } from "node:worker_threads";
import { openCsvRange } from "../data/readers/index.js";
import type { ReadOptions } from "../data/types.js";
import { ProfileBuilder } from "../profile/index.js";
import type { DataSchema } from "../schema/schema.js";
import { Validator } from "../validate/index.js";
import { serializeError } from "./workers.js";

export interface RangeTask {
  file: string;
  name: string;
  range: { start: number; end: number; firstLine: number };
  schema: DataSchema;
  validateOptions: ConstructorParameters<typeof Validator>[2];
  read: ReadOptions;
}

export interface RangeResult {
  validator: ReturnType<Validator["toState"]>;
  profile: ReturnType<ProfileBuilder["toState"]>;
}

async function main(task: RangeTask): Promise<RangeResult> {
  const source = await openCsvRange(task.file, task.range, { ...task.read, displayName: task.name });
  const validator = new Validator(task.schema, source.columns, task.validateOptions);
  const profile = new ProfileBuilder(source.columns);
  for await (const batch of source.batches()) {
    validator.add(batch);
    profile.add(batch);
  }
  return { validator: validator.toState(), profile: profile.toState() };
}

if (parentPort) {
  main(workerData as RangeTask).then(
    (value) => parentPort?.postMessage({ ok: true, value }),
    (error: unknown) => parentPort?.postMessage({ ok: false, error: serializeError(error) }),
  );
}
