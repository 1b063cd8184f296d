import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fsError, UserError } from "../errors.js";
import { parseAt } from "../parse.js";
import { pickBest } from "./objective.js";
import { type Shard, ShardFile, type TuneResult } from "./schema.js";

// A shard of even thousands of trials is far below this; anything bigger is not ours.
const MAX_SHARD_BYTES = 16 << 20;
const SHARD_NAME = /^shard-\d+-of-\d+\.json$/;

export function shardFileName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}.json`;
}

/** Writes DIR/shard-I-of-N.json; returns the file written. */
export async function writeShard(dir: string, shard: ShardFile): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, shardFileName(shard.shard));
  await writeFile(file, `${JSON.stringify(shard, null, 2)}\n`);
  return file;
}

export interface ShardText {
  file: string;
  text: string;
}

/** Every shard file in the given folders (or the files themselves), as text: parsed by mergeShards. */
export async function readShards(locations: string[]): Promise<ShardText[]> {
  const out: ShardText[] = [];
  for (const location of locations) {
    const info = await stat(location).catch((error: unknown) => {
      throw fsError(error, location);
    });
    const files = info.isDirectory()
      ? (await readdir(location))
          .filter((name) => SHARD_NAME.test(name))
          .sort()
          .map((name) => path.join(location, name))
      : [location];
    if (files.length === 0) {
      throw new UserError("no shard-I-of-N.json file here; write them with 'tune --shard I/N --out DIR'", {
        file: location,
      });
    }
    for (const file of files) {
      const size = (await stat(file)).size;
      if (size > MAX_SHARD_BYTES) {
        throw new UserError(`file is ${size} bytes, more than the ${MAX_SHARD_BYTES} allowed`, { file });
      }
      out.push({ file, text: await readFile(file, "utf8") });
    }
  }
  return out;
}

/** Joins the shards of one sweep into the result one unsharded run would have given. */
export function mergeShards(inputs: ShardText[]): TuneResult {
  if (inputs.length === 0) throw new UserError("no shard files to merge", { field: "DIR" });
  const shards = inputs.map(parseShard).sort((a, b) => a.value.shard.index - b.value.shard.index);
  const first = shards[0]!;
  const seen = new Map<number, string>();
  for (const { file, value } of shards) {
    const same =
      value.plan.hash === first.value.plan.hash &&
      value.shard.count === first.value.shard.count &&
      value.metric === first.value.metric &&
      value.direction === first.value.direction;
    if (!same) {
      throw new UserError(
        `belongs to another sweep than ${first.file} (plan, shard count or metric differ)`,
        {
          file,
        },
      );
    }
    const twice = seen.get(value.shard.index);
    if (twice) throw new UserError(`shard ${value.shard.index} is also in ${twice}`, { file });
    seen.set(value.shard.index, file);
    checkShare(file, value);
  }
  const count = first.value.shard.count;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new UserError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(", ")} missing`, {
      field: "DIR",
    });
  }
  const trials = shards.flatMap((s) => s.value.trials).sort((a, b) => a.index - b.index);
  const objective = { metric: first.value.metric, direction: first.value.direction };
  const counted = shards.every((s) => s.value.epochs !== undefined);
  const epochs = shards.reduce((sum, s) => sum + (s.value.epochs ?? 0), 0);
  return {
    sweep: first.value.sweep,
    ...objective,
    trials,
    best: pickBest(trials, objective),
    ...(counted ? { epochs } : {}),
  };
}

function parseShard({ file, text }: ShardText): { file: string; value: ShardFile } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`not JSON: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  const shard = parseAt(ShardFile, json, { what: "not a tune shard", file });
  if (shard.shard.index > shard.shard.count) {
    throw new UserError("shard index is greater than the shard count", { file, field: "shard" });
  }
  return { file, value: shard };
}

/** A shard holds exactly the trials k with k mod N = I - 1, each once. */
function checkShare(file: string, shard: ShardFile): void {
  const { index, count } = shard.shard;
  const expected: number[] = [];
  for (let k = index - 1; k < shard.plan.trials; k += count) expected.push(k);
  const got = shard.trials.map((t) => t.index).sort((a, b) => a - b);
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new UserError(`holds trials [${got.join(", ")}], expected [${expected.join(", ")}]`, {
      file,
      field: "trials",
    });
  }
}
