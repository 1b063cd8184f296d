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
    const onEnd = () => {
      cleanup();
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

/** JSON.parse, then the zod schema; errors name the field as a JSON path (`instances[2]`). */
export function parseBody<T extends z.ZodType>(schema: T, body: Buffer): z.infer<T> {
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
