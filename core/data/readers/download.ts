import { createWriteStream, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { UserError } from "../../errors.js";

export const DEFAULT_MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3;
/** A server that sends no response, or stalls mid-body, this long is given up on. */
export const DEFAULT_TIMEOUT_MS = 30_000;

const downloads = new Set<string>();
let cleanupRegistered = false;

/**
 * Streams an http(s) URL into a temporary file (removed when the process exits), so every reader
 * works on a local file: CSV re-reads per pass, Parquet reads byte ranges.
 */
export async function download(
  url: string,
  options: { fetch?: typeof fetch; maxBytes?: number; connectTimeoutMs?: number; idleTimeoutMs?: number },
): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const fetchImpl = options.fetch ?? fetch;
  const connectMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idleMs = options.idleTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const abort = new AbortController();
  let response: Response;
  const connect = setTimeout(() => abort.abort(), connectMs);
  try {
    response = await fetchImpl(url, { redirect: "follow", signal: abort.signal });
  } catch (error) {
    const cause = abort.signal.aborted
      ? `no response within ${connectMs / 1000} s (connect timeout)`
      : error instanceof Error
        ? error.message
        : String(error);
    throw new UserError(`could not download: ${cause}`, { file: url });
  } finally {
    clearTimeout(connect);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new UserError(`download failed: HTTP ${response.status} ${response.statusText}; expected 200`, {
      file: url,
    });
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw tooBig(url, maxBytes);
  }
  const path = await tempPath(safeName(url));
  await writeCapped(response.body, path, url, maxBytes, { abort, idleMs });
  return path;
}

/** A path in a fresh temporary folder, removed when the process exits. */
export async function tempPath(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "modelgate-"));
  track(dir);
  return join(dir, name);
}

async function writeCapped(
  body: ReadableStream<Uint8Array>,
  path: string,
  url: string,
  maxBytes: number,
  idle: { abort: AbortController; idleMs: number },
) {
  const out = createWriteStream(path);
  const closed = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
  let total = 0;
  let stalled = false;
  let timer = setTimeout(stall, idle.idleMs);
  function stall() {
    stalled = true;
    idle.abort.abort();
  }
  try {
    for await (const chunk of body) {
      clearTimeout(timer);
      timer = setTimeout(stall, idle.idleMs);
      total += chunk.byteLength;
      if (total > maxBytes) throw tooBig(url, maxBytes);
      if (!out.write(chunk)) await new Promise((resolve) => out.once("drain", resolve));
    }
  } catch (error) {
    out.destroy();
    await closed.catch(() => {});
    if (error instanceof UserError) throw error;
    const cause = stalled
      ? `no data for ${idle.idleMs / 1000} s after ${total} bytes (idle timeout)`
      : error instanceof Error
        ? error.message
        : String(error);
    throw new UserError(`download interrupted: ${cause}`, { file: url });
  } finally {
    clearTimeout(timer);
  }
  out.end();
  await closed;
}

function tooBig(url: string, maxBytes: number): UserError {
  return new UserError(`download is larger than the ${maxBytes} bytes allowed (maxDownloadBytes)`, {
    file: url,
  });
}

/** The URL's last path segment (keeps the extension that picks the reader), made safe as a file name. */
function safeName(url: string): string {
  const name = basename(new URL(url).pathname).replace(/[^\w.-]/g, "_");
  return name === "" || name === "." || name === ".." ? "download" : name;
}

function track(dir: string): void {
  downloads.add(dir);
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.once("exit", () => {
    for (const d of downloads) rmSync(d, { recursive: true, force: true });
  });
}
