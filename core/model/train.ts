import type * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../config/schema.js";
import type { Logger } from "../ports.js";
import { type BackendOptions, initBackend } from "./backend.js";
import {
  allFinite,
  checkEncoded,
  checkEncodedTarget,
  checkTarget,
  checkTrainingInput,
  divergedError,
  type RowSource,
} from "./checks.js";
import { transform } from "./encode.js";
import { createKernelTrainer } from "./kernel-trainer.js";
import { assignWeights, buildNetwork, flattenWeights, layerShapes, type Network } from "./network.js";
import { encodedWidth, type FitOptions, fitPreprocessor, type Table } from "./preprocess.js";
import { deriveSeed, prng, range, shuffle } from "./random.js";
import type { Preprocessor } from "./schema.js";
import { createTrainer, type Trainer, type TrainerOptions } from "./trainer.js";
import { withUnseenRows } from "./unseen.js";

export interface EpochLog {
  epoch: number;
  /** Mean training loss over the epoch (cross-entropy, or MSE of the standardised target). */
  loss: number;
  /** Loss on the validation split; null when early stopping is off (no rows are held out then). */
  valLoss: number | null;
}

export interface TrainOptions extends Omit<FitOptions, "task"> {
  logger: Logger;
  onEpoch?: (log: EpochLog) => void;
  backend?: BackendOptions;
  /** The training file and each row's line, for errors that name where a bad value is. */
  source?: RowSource;
  /** Checked between epochs: aborting stops training with the signal's reason. */
  signal?: AbortSignal;
}

export interface TrainedModel {
  /** What training made, as plain values: the kernels predict with it. */
  network: Network;
  /** The same network as tfjs layers: the serializer saveModel writes (tfjs's standard layout). */
  model: tf.Sequential;
  preprocessor: Preprocessor;
  config: ModelConfig;
  inputDim: number;
  history: EpochLog[];
  backend: string;
  /** Epochs actually run. */
  epochs: number;
  stoppedEarly: boolean;
  /** The epoch whose weights the model holds (1-based); the last one without early stopping. */
  bestEpoch: number;
}

// Below this many training rows a validation split leaves too little to learn from or to judge by.
const MIN_ROWS_FOR_VALIDATION = 20;

// With `model.epochs` unset, small data gets enough epochs for this many optimizer steps (50 epochs of one
// batch, 50 Adam steps, left iris at 0.82 accuracy), and early stopping waits at least PATIENCE_STEPS steps.
export const DEFAULT_EPOCHS = 50;
const MIN_STEPS = 1000;
const MAX_DEFAULT_EPOCHS = 2000;
const PATIENCE_STEPS = 100;

/** The epochs and early-stopping patience a run uses: the config's, or defaults scaled to the data size. */
export function trainingLength(
  config: Pick<ModelConfig, "epochs" | "batchSize" | "earlyStopping">,
  trainRows: number,
): { epochs: number; patience: number | undefined } {
  const stepsPerEpoch = Math.max(1, Math.ceil(trainRows / config.batchSize));
  const patience = config.earlyStopping ? config.earlyStopping.patience : undefined;
  if (config.epochs !== undefined) return { epochs: config.epochs, patience };
  const epochs = Math.min(MAX_DEFAULT_EPOCHS, Math.max(DEFAULT_EPOCHS, Math.ceil(MIN_STEPS / stepsPerEpoch)));
  return {
    epochs,
    patience:
      patience === undefined ? undefined : Math.max(patience, Math.ceil(PATIENCE_STEPS / stepsPerEpoch)),
  };
}

/** Trains an MLP; same seed + data + config + backend => the same weights, bit for bit. */
export async function trainModel(
  table: Table,
  config: ModelConfig,
  options: TrainOptions,
): Promise<TrainedModel> {
  const { logger } = options;
  const backend = await initBackend(config.backend, logger, options.backend);
  const data = encodeTable(table, config, options);
  const { preprocessor, classes, outputs, inputDim } = data;
  const { train, held } = holdOut(data, config, logger);
  const model = buildNetwork(config, inputDim, outputs, classes > 0 ? "softmax" : "linear");
  const shapes = layerShapes(config.hidden, inputDim, outputs);
  const { trainer, engine } = chooseTrainer(config, backend, {
    ...config,
    shapes,
    loss: classes > 0 ? "crossentropy" : "mse",
    initial: flattenWeights(model),
  });
  const training = withUnseenRows(
    preprocessor,
    { x: data.x, targets: data.targets, train },
    deriveSeed(config.seed, 0x0c),
  );
  let run: EpochsRun;
  try {
    run = await runEpochs(trainer, training, held, config, options);
    assignWeights(model, shapes, run.weights);
  } finally {
    trainer.dispose();
  }
  const { history, weights, stoppedEarly, bestEpoch } = run;
  const epochs = history.length;
  logger.info(
    `trained ${epochs} epoch(s) on ${engine}${stoppedEarly ? `, stopped early; best epoch ${bestEpoch}` : ""}`,
  );
  const output = classes > 0 ? "softmax" : "linear";
  const network: Network = { shapes, activation: config.activation, output, weights };
  return {
    network,
    model,
    preprocessor,
    config,
    inputDim,
    history,
    backend,
    epochs,
    stoppedEarly,
    bestEpoch,
  };
}

/** The table as the network's inputs and targets (one-hot for classes), checked on the way. */
function encodeTable(table: Table, config: ModelConfig, options: TrainOptions) {
  const { logger } = options;
  const source = options.source ?? {};
  // Only the columns training reads: a long name in a left-out column is no obstacle.
  const used = (name: string) =>
    name === options.target || (options.features?.includes(name) ?? name !== options.id);
  checkTrainingInput(table, used, source);
  const preprocessor = fitPreprocessor(table, {
    warn: (message) => logger.warning(message),
    ...options,
    ...(config.task ? { task: config.task } : {}),
  });
  const { x, y, rows } = transform(preprocessor, table);
  checkTarget(preprocessor, rows);
  checkEncoded(preprocessor, table, x, rows, source);
  checkEncodedTarget(preprocessor, table, y!, source);
  const classes = preprocessor.target.task === "classification" ? preprocessor.target.classes.length : 0;
  return {
    preprocessor,
    x,
    y: y!,
    rows,
    classes,
    targets: classes > 0 ? oneHot(y!, classes) : y!,
    outputs: classes > 0 ? classes : 1,
    inputDim: encodedWidth(preprocessor.features),
  };
}

type Encoded = ReturnType<typeof encodeTable>;
type HeldOut = { x: Float32Array; y: Float32Array; rows: number; patience: number };

/**
 * The rows training learns from and, with early stopping, the held-out rows it judges by. Early stopping
 * is off (said out loud) when the rows are too few to hold some out.
 */
function holdOut(
  data: Encoded,
  config: ModelConfig,
  logger: Logger,
): { train: Uint32Array; held: HeldOut | undefined } {
  const { rows } = data;
  const stopping = config.earlyStopping;
  if (!stopping) return { train: range(rows), held: undefined };
  if (rows < MIN_ROWS_FOR_VALIDATION) {
    logger.warning(`early stopping is off: ${rows} training rows are too few to hold out a validation split`);
    return { train: range(rows), held: undefined };
  }
  const split = validationSplit(data.y, data.classes, config.validationSplit, deriveSeed(config.seed, 0x5e));
  const validation = gather(data.x, data.targets, split.validation, data.inputDim, data.outputs);
  return {
    train: split.train,
    held: { ...validation, rows: split.validation.length, patience: stopping.patience },
  };
}

function chooseTrainer(config: ModelConfig, backend: string, options: TrainerOptions) {
  // tfjs-node's multithreaded kernels are left to run tfjs's own step; on wasm and cpu our kernels win.
  const kernelTrainer = backend === "tensorflow" ? undefined : createKernelTrainer(options, config.batchSize);
  return {
    trainer: kernelTrainer ?? createTrainer(options),
    engine: kernelTrainer ? "modelgate's wasm SIMD kernels" : `tfjs ${backend}`,
  };
}

interface EpochsRun {
  history: EpochLog[];
  /** The best epoch's weights under early stopping, else the last epoch's. */
  weights: Float32Array;
  stoppedEarly: boolean;
  bestEpoch: number;
}

/** Epochs until the last or until early stopping calls it; a non-finite loss or weight is an error. */
async function runEpochs(
  trainer: Trainer,
  training: { x: Float32Array; targets: Float32Array; train: Uint32Array },
  /** The held-out rows and early stopping's patience; undefined without early stopping. */
  validation: HeldOut | undefined,
  config: ModelConfig,
  options: TrainOptions,
): Promise<EpochsRun> {
  const order = training.train;
  const length = trainingLength(config, order.length);
  const shuffleRandom = prng(deriveSeed(config.seed, 0x5f));
  const history: EpochLog[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: undefined as Float32Array | undefined };
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= length.epochs; epoch++) {
    trainer.trainEpoch(training.x, training.targets, shuffle(order, shuffleRandom), config.batchSize);
    const loss = trainer.epochLoss();
    const valLoss = validation ? trainer.evaluate(validation.x, validation.y, validation.rows) : null;
    const log = { epoch, loss, valLoss };
    history.push(log);
    options.onEpoch?.(log);
    options.logger.progress("epoch", epoch, length.epochs, epochDetail(loss, valLoss));
    // Past a non-finite loss every later step is NaN too: stop now, and write no model.
    if (!Number.isFinite(loss)) throw divergedError("training loss", epoch, config.learningRate);
    if (valLoss !== null && !Number.isFinite(valLoss)) {
      throw divergedError("validation loss", epoch, config.learningRate);
    }
    if (validation && valLoss !== null) {
      if (valLoss < best.loss) best = { loss: valLoss, epoch, weights: trainer.weights() };
      else if (epoch - best.epoch >= (length.patience ?? validation.patience)) {
        stoppedEarly = true;
        break;
      }
    }
    // Let the event loop breathe between epochs (a server or the bot may share the process), and
    // let a signal handler run: an interrupted run stops here.
    await new Promise((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
  }
  // Keras's EarlyStopping leaves the last weights; the best ones are what early stopping is for.
  const weights = best.weights ?? trainer.weights();
  if (!allFinite(weights)) throw divergedError("weights", history.length, config.learningRate);
  return { history, weights, stoppedEarly, bestEpoch: best.weights ? best.epoch : history.length };
}

function epochDetail(loss: number, valLoss: number | null): string {
  const show = (v: number) =>
    Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4);
  return `loss ${show(loss)}${valLoss === null ? "" : `, val_loss ${show(valLoss)}`}`;
}

function oneHot(labels: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let r = 0; r < labels.length; r++) out[r * classes + labels[r]!] = 1;
  return out;
}

/** Seeded hold-out; stratified by class so rare classes show up on both sides. */
export function validationSplit(y: Float32Array, classes: number, share: number, seed: number) {
  const random = prng(seed);
  const groups: number[][] = classes > 0 ? Array.from({ length: classes }, () => []) : [[]];
  for (let r = 0; r < y.length; r++) groups[classes > 0 ? y[r]! : 0]!.push(r);
  const train: number[] = [];
  const validation: number[] = [];
  for (const group of groups) {
    const shuffled = shuffle(Uint32Array.from(group), random);
    // A class with a single row stays in training: the model must see every class.
    const held = shuffled.length > 1 ? Math.max(1, Math.round(shuffled.length * share)) : 0;
    // Loops, not push(...spread): a spread of 100k rows overflows the call stack.
    for (let i = 0; i < shuffled.length; i++) (i < held ? validation : train).push(shuffled[i]!);
  }
  return { train: Uint32Array.from(train), validation: Uint32Array.from(validation).sort() };
}

function gather(x: Float32Array, y: Float32Array, rows: Uint32Array, width: number, outputs: number) {
  const gx = new Float32Array(rows.length * width);
  const gy = new Float32Array(rows.length * outputs);
  rows.forEach((r, k) => {
    gx.set(x.subarray(r * width, (r + 1) * width), k * width);
    gy.set(y.subarray(r * outputs, (r + 1) * outputs), k * outputs);
  });
  return { x: gx, y: gy };
}
