import { UserError } from "../errors.js";
import type { FieldOf, Prediction, Predictor } from "../model/index.js";
import { type BatcherOptions, scheduler } from "./batcher.js";
import { type Row, slicePrediction } from "./rows.js";

interface Job {
  rows: Row[];
  fieldOf: FieldOf;
  resolve: (prediction: Prediction) => void;
  reject: (error: unknown) => void;
}

/**
 * Micro-batching for imported models (ONNX, tfjs), which take raw rows rather than modelgate's encoding:
 * concurrent requests go to the model as one call. When that call refuses a row, each request is scored
 * on its own instead, so one bad request fails alone, with the field named in its own terms.
 */
export function createRowBatcher(predictor: Predictor, options: BatcherOptions) {
  let queue: Job[] = [];
  let queuedRows = 0;

  const single = async (job: Job) => {
    try {
      const prediction = await predictor.predictRows(job.rows, job.fieldOf);
      options.onCall?.(job.rows.length);
      job.resolve(prediction);
    } catch (error) {
      job.reject(error);
    }
  };

  const flush = async () => {
    const jobs = queue;
    queue = [];
    queuedRows = 0;
    if (jobs.length <= 1) return jobs[0] && single(jobs[0]);
    const starts: number[] = [];
    const rows: Row[] = [];
    for (const job of jobs) {
      starts.push(rows.length);
      for (const row of job.rows) rows.push(row);
    }
    let prediction: Prediction;
    try {
      prediction = await predictor.predictRows(rows, (r, column) => `row ${r}${column ? `.${column}` : ""}`);
    } catch (error) {
      if (!(error instanceof UserError)) for (const job of jobs) job.reject(error);
      else await Promise.all(jobs.map(single));
      return;
    }
    options.onCall?.(rows.length);
    for (const [i, job] of jobs.entries())
      job.resolve(slicePrediction(prediction, starts[i]!, job.rows.length));
  };

  const schedule = scheduler(options.windowMs, () => void flush());
  return {
    predict(rows: Row[], fieldOf: FieldOf): Promise<Prediction> {
      return new Promise<Prediction>((resolve, reject) => {
        queue.push({ rows, fieldOf, resolve, reject });
        queuedRows += rows.length;
        if (queuedRows >= options.maxBatch) void flush();
        else schedule();
      });
    },
    /** Runs whatever is queued now (on reload and close). */
    flush: () => void flush(),
  };
}
