import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The Actions results service and its blob storage, as @actions/artifact talks to them: Twirp
 * CreateArtifact -> block blob upload to the signed URL -> FinalizeArtifact. Uploaded zips are kept.
 */
export interface FakeResults {
  url: string;
  /** ACTIONS_RUNTIME_TOKEN: an (unsigned) JWT whose scope names the run and job backend ids. */
  token: string;
  artifacts: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function startFakeResults(): Promise<FakeResults> {
  const artifacts = new Map<string, Buffer>();
  const blocks = new Map<string, Buffer>();
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://fake");
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (url.pathname.endsWith("/CreateArtifact")) {
      const { name } = JSON.parse(body.toString()) as { name: string };
      return json(200, {
        ok: true,
        signedUploadUrl: `http://${req.headers.host}/blob/${encodeURIComponent(name)}?sig=x`,
      });
    }
    if (url.pathname.endsWith("/FinalizeArtifact")) {
      return json(200, { ok: true, artifactId: String(artifacts.size) });
    }
    if (url.pathname.startsWith("/blob/") && req.method === "PUT") {
      const name = decodeURIComponent(url.pathname.slice(6));
      const comp = url.searchParams.get("comp");
      if (comp === "block") blocks.set(`${name}/${url.searchParams.get("blockid")}`, body);
      else if (comp === "blocklist") {
        const ids = [...body.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)</g)].map(
          (m) => m[1]!,
        );
        artifacts.set(name, Buffer.concat(ids.map((id) => blocks.get(`${name}/${id}`) ?? Buffer.alloc(0))));
      } else artifacts.set(name, body);
      res.writeHead(201, {
        etag: '"1"',
        "last-modified": new Date().toUTCString(),
        "x-ms-request-id": "1",
        "x-ms-version": "2024-05-04",
      });
      return res.end();
    }
    json(404, { msg: `no fake for ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const claims = { scp: "Actions.GenericRead Actions.Results:run-backend-1:job-backend-1" };
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return {
    url: `http://127.0.0.1:${port}/`,
    token: `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`,
    artifacts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** File names and contents of a (stored or deflated) zip, enough to read back an uploaded artifact. */
export async function unzip(zip: Buffer): Promise<Record<string, string>> {
  const { inflateRawSync } = await import("node:zlib");
  const files: Record<string, string> = {};
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    const method = zip.readUInt16LE(offset + 8);
    const flags = zip.readUInt16LE(offset + 6);
    let size = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    const name = zip.subarray(offset + 30, offset + 30 + nameLength).toString();
    const start = offset + 30 + nameLength + extraLength;
    if (flags & 0x08) {
      // Sizes follow the data in a descriptor: find it via the central directory instead.
      const central = zip.lastIndexOf(Buffer.from(name), undefined);
      size = zip.readUInt32LE(central - 46 + 20);
    }
    const data = zip.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString();
    offset = start + size + (flags & 0x08 ? (zip.readUInt32LE(start + size) === 0x08074b50 ? 16 : 12) : 0);
  }
  return files;
}
