import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseAt } from "../parse.js";
import { Lineage } from "./schema.js";

export type ParsedLineage = z.output<typeof Lineage>;

export function parseLineage(lineage: Lineage): ParsedLineage {
  return parseAt(Lineage, lineage, { what: "bad model lineage", field: "lineage" });
}

/** The parts of modelgate.json's run record the registry keeps; other fields are the trainer's business. */
const Manifest = z.looseObject({
  config: z.unknown().optional(),
  run: z
    .looseObject({
      id: z.string().optional(),
      metrics: z.record(z.string(), z.number()).optional(),
      data: z
        .looseObject({
          train: z.looseObject({ fingerprint: z.string() }).optional(),
          test: z.looseObject({ fingerprint: z.string() }).optional(),
        })
        .optional(),
      git: z.looseObject({ commit: z.string() }).optional(),
    })
    .optional(),
});

/**
 * Lineage read from a trained model folder's `modelgate.json`, so `registry register DIR` records
 * the run, metrics and data fingerprints without the user restating them. A folder without one (or
 * with a run record in another shape) registers with what is known: its source.
 */
export async function lineageFromModelDir(dir: string): Promise<ParsedLineage> {
  const source = path.resolve(dir);
  const text = await readFile(path.join(dir, "modelgate.json"), "utf8").catch(() => undefined);
  let json: unknown;
  try {
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) return { metrics: {}, source };
  const { run, config } = parsed.data;
  const train = run?.data?.train?.fingerprint;
  const test = run?.data?.test?.fingerprint;
  return parseLineage({
    source,
    metrics: run?.metrics ?? {},
    runId: run?.id,
    commit: run?.git?.commit,
    dataFingerprints: train || test ? { train, test } : undefined,
    configHash:
      config === undefined
        ? undefined
        : createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 16),
  });
}
