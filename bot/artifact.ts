import { z } from "zod";
import { UserError } from "../core/errors.js";
import { parseReportText, REPORT_LIMITS, type Report } from "../core/report/index.js";
import type { GitHub } from "./github.js";
import type { RepoRef } from "./payloads.js";
import { readZipEntry, ZipError } from "./zip.js";

export const ARTIFACT_NAME = "modelgate-report";
export const REPORT_FILE = "report.json";
/** The zip holds one report of at most REPORT_LIMITS.bytes; stored uncompressed it is barely larger. */
export const MAX_ZIP_BYTES = REPORT_LIMITS.bytes + 1024 * 1024;

const WHERE = { file: `${ARTIFACT_NAME}/${REPORT_FILE}` };

const Artifacts = z.object({
  artifacts: z
    .array(
      z.object({
        id: z.number().int().positive(),
        name: z.string(),
        size_in_bytes: z.number().int().min(0),
        expired: z.boolean(),
      }),
    )
    .max(1000),
});

/**
 * The report a workflow run uploaded, or undefined when the run uploaded none (not every workflow is
 * modelgate's). The artifact comes from the pull request's code, maybe a fork's: every step is capped
 * and checked, and anything wrong is a UserError the check run shows.
 */
export async function downloadReport(gh: GitHub, repo: RepoRef, runId: number): Promise<Report | undefined> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts", {
    ...repo,
    run_id: runId,
    name: ARTIFACT_NAME,
    per_page: 100,
  });
  const artifact = Artifacts.parse(data).artifacts.find((a) => a.name === ARTIFACT_NAME && !a.expired);
  if (!artifact) return undefined;
  if (artifact.size_in_bytes > MAX_ZIP_BYTES) {
    throw new UserError(
      `the artifact is ${artifact.size_in_bytes} bytes, more than the ${MAX_ZIP_BYTES} allowed`,
      WHERE,
    );
  }
  const response = await gh.request(
    "GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}",
    {
      ...repo,
      artifact_id: artifact.id,
      archive_format: "zip",
      // The body is read here, with a cap, instead of whole into memory by Octokit.
      request: { parseSuccessResponseBody: false },
    },
  );
  const zip = await readCapped(response.data as unknown, MAX_ZIP_BYTES);
  let json: Buffer;
  try {
    json = readZipEntry(zip, REPORT_FILE, REPORT_LIMITS.bytes);
  } catch (error) {
    if (error instanceof ZipError) throw new UserError(error.message, WHERE);
    throw error;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    throw new UserError("is not UTF-8 text", WHERE);
  }
  return parseReportText(text, WHERE.file);
}

async function readCapped(body: unknown, maxBytes: number): Promise<Buffer> {
  if (body instanceof ArrayBuffer) return capped(Buffer.from(body), maxBytes);
  if (!(body instanceof ReadableStream)) throw new Error("artifact download returned no body stream");
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return capped(Buffer.concat(chunks), maxBytes, total);
}

function capped(zip: Buffer, maxBytes: number, total = zip.length): Buffer {
  if (total > maxBytes) {
    throw new UserError(`the artifact zip is more than the ${maxBytes} bytes allowed`, WHERE);
  }
  return zip;
}
