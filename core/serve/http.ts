import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { UserError } from "../errors.js";

/** A failure with its HTTP status; everything a client did wrong is one of these or a UserError (400). */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Reads a request body, refusing it with 413 as soon as it passes `maxBytes`: from Content-Length before
 * a byte is read, else while streaming, so an oversized body is never buffered.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    // The listeners stay once the body has ended (they go with the request): removing four is work on
    // every request, and none of them acts after the end.
    const onEnd = () => {
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new HttpError(400, `the request body could not be read: ${error.message}`));
    };
    // A client that hangs up mid-body: without this the request would wait forever.
    const onClose = () => {
      if (!req.complete) onError(new Error("the client closed the connection"));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

function tooLarge(maxBytes: number): HttpError {
  // The rest of the body is never read, so the connection cannot be reused.
  return new HttpError(413, `the request body is larger than the limit of ${maxBytes} bytes`, {
    connection: "close",
  });
}

/**
 * No protocol nests deeper than a handful of levels (v2: body, inputs, tensor, data, a row). Deeper
 * JSON parses, but every recursive step after it (the schema, the row reader) would overflow the stack:
 * a 500 for what is a client's error.
 */
export const MAX_JSON_DEPTH = 64;

/** The first byte offset where brackets nest deeper than `max`, skipping strings; -1 when none does. */
export function tooDeepAt(body: Uint8Array, max: number): number {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (byte === 0x22) {
      // A string: skip to its closing quote (UTF-8 continuation bytes are never ASCII).
      for (i++; i < body.length && body[i] !== 0x22; i++) if (body[i] === 0x5c) i++;
    } else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > max) return i;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return -1;
}

/** JSON.parse, then the zod schema; errors name the field as a JSON path (`instances[2]`). */
export function parseBody<T extends z.ZodType>(schema: T, body: Buffer): z.infer<T> {
  const deep = tooDeepAt(body, MAX_JSON_DEPTH);
  if (deep >= 0) {
    throw new UserError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels (at byte ${deep})`, {
      field: "body",
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new UserError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      field: "body",
    });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new UserError(issue?.message ?? "invalid request", { field: jsonPath(issue?.path ?? []) || "body" });
}

export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The `{"error": ...}` text for a client error: "field: message". */
export function errorText(error: UserError): string {
  return error.location.field ? `${error.location.field}: ${error.message}` : error.message;
}
