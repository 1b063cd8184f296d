import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const WEBHOOK_LIMITS = {
  /** GitHub caps webhook payloads at 25 MB; a bigger body is not from GitHub and is not read on. */
  bodyBytes: 25 * 1024 * 1024,
  /** Bytes held by all deliveries being read at once; past it a delivery gets 503 (GitHub can redeliver). */
  budgetBytes: 64 * 1024 * 1024,
  /** GitHub sends its headers at once and gives up on an answer after 10 s. */
  headersMs: 10_000,
  requestMs: 30_000,
  /** How long a refused body is still read (and dropped) so the client sees the answer. */
  lingerMs: 1000,
} as const;

export interface Delivery {
  id: string;
  event: string;
  payload: unknown;
}

export interface Refusal {
  refused: string;
  status: number;
  id?: string;
  event?: string;
}

const EVENT = /^[a-z_]{1,64}$/;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * Reads one webhook delivery: headers checked first, the body counted and signed chunk by chunk, so a
 * body past the cap (chunked or not) is refused after at most `bodyBytes`, and the JSON is parsed only
 * once the HMAC matched. `budget.used` is shared by every delivery being read.
 */
export async function readDelivery(
  req: IncomingMessage,
  secret: string,
  budget: { used: number },
): Promise<Delivery | Refusal> {
  const id = header(req, "x-github-delivery");
  const event = header(req, "x-github-event");
  const named = {
    ...(id && DELIVERY_ID.test(id) ? { id } : {}),
    ...(event && EVENT.test(event) ? { event } : {}),
  };
  const signature = SIGNATURE.exec(header(req, "x-hub-signature-256") ?? "")?.[1];
  if (!named.id || !named.event || !signature) {
    return {
      refused: "missing or malformed x-github-event, x-github-delivery or x-hub-signature-256",
      status: 400,
      ...named,
    };
  }
  if (Number(req.headers["content-length"] ?? 0) > WEBHOOK_LIMITS.bodyBytes) {
    return { refused: `body over the ${WEBHOOK_LIMITS.bodyBytes} byte cap`, status: 413, ...named };
  }
  const hmac = createHmac("sha256", secret);
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = await new Promise<Refusal | undefined>((resolve) => {
    const done = (refusal?: Refusal) => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      budget.used -= size;
      resolve(refusal);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      budget.used += chunk.length;
      if (size > WEBHOOK_LIMITS.bodyBytes) {
        return done({ refused: `body over the ${WEBHOOK_LIMITS.bodyBytes} byte cap`, status: 413, ...named });
      }
      if (budget.used > WEBHOOK_LIMITS.budgetBytes) {
        return done({ refused: "too many deliveries being read at once", status: 503, ...named });
      }
      hmac.update(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onError = () => done({ refused: "the body could not be read", status: 400, ...named });
    const onClose = () => {
      if (!req.complete) onError();
    };
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
  if (stop) return stop;
  const expected = hmac.digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    return { refused: "signature does not match the webhook secret", status: 400, ...named };
  }
  try {
    return {
      id: named.id,
      event: named.event,
      payload: JSON.parse(Buffer.concat(chunks, size).toString("utf8")),
    };
  } catch {
    return { refused: "signed body is not JSON", status: 400, ...named };
  }
}
