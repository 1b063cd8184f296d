import { download } from "../readers/download.js";
import type { Locator } from "./types.js";

export const httpLocator: Locator = {
  kind: "http",
  async locate(url, options) {
    const path = await download(url, {
      fetch: options.fetch,
      maxBytes: options.maxDownloadBytes,
      connectTimeoutMs: options.connectTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
    });
    return [{ path, name: options.displayName ?? url }];
  },
};
