import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors.js";
import { RunRecord } from "./schema.js";

export { finishedRun, type RunStart, type RunWork } from "./finished.js";
export { RunRecord } from "./schema.js";

/** The run store: one JSON file per run under <store>/runs/, written atomically. */
export class RunStore {
  constructor(readonly root: string) {}

  private get dir(): string {
    return path.join(this.root, "runs");
  }

  /** Ids sort by time: a run started later lists later. */
  static newId(now = new Date()): string {
    return `${now
      .toISOString()
      .replace(/[-:.TZ]/g, "")
      .slice(0, 17)}-${randomBytes(3).toString("hex")}`;
  }

  async save(record: RunRecord): Promise<void> {
    const checked = RunRecord.parse(record);
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${checked.id}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(checked, null, 2)}\n`);
    await rename(temp, file);
  }

  /** Params are write-once: a later save may add metrics, never change what the run was. */
  async update(id: string, change: (record: RunRecord) => RunRecord): Promise<RunRecord> {
    const current = await this.get(id);
    const next = change(current);
    if (JSON.stringify(next.params) !== JSON.stringify(current.params)) {
      throw new UserError(`run ${id}: params are write-once`, { field: "params" });
    }
    await this.save(next);
    return next;
  }

  async get(id: string): Promise<RunRecord> {
    const runs = await this.list();
    const matches = runs.filter((run) => run.id === id || run.id.startsWith(id) || run.id.endsWith(id));
    if (matches.length === 0)
      throw new UserError(`no run '${id}' in ${this.dir}; see 'modelgate runs list'`, { field: "run" });
    if (matches.length > 1)
      throw new UserError(`'${id}' matches ${matches.length} runs; give more of the id`, { field: "run" });
    return matches[0]!;
  }

  async list(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith(".json")).sort();
    } catch {
      return [];
    }
    const runs: RunRecord[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      const parsed = RunRecord.safeParse(parseJson(await readFile(file, "utf8").catch(() => "")));
      // A damaged record is skipped, not fatal: the other runs stay listable.
      if (parsed.success) runs.push(parsed.data);
    }
    return runs;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
