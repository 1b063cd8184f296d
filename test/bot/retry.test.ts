import { describe, expect, it } from "vitest";
import { retryAfter } from "../../bot/octokit.js";

const error = (status: number | undefined, headers: Record<string, string> = {}, message = "") => ({
  status,
  message,
  response: { headers },
});

describe("retryAfter", () => {
  it("honours retry-after, the rate-limit reset and back-off, and gives up on real refusals", () => {
    const now = 1_700_000_000_000;

    const waits = [
      retryAfter(error(429, { "retry-after": "7" }), 0, now),
      retryAfter(error(403, {}, "You have exceeded a secondary rate limit"), 0, now),
      retryAfter(
        error(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 30) }),
        0,
        now,
      ),
      retryAfter(error(502), 1, now),
      retryAfter(error(undefined), 0, now),
      retryAfter(error(403, {}, "Resource not accessible by integration"), 0, now),
      retryAfter(error(404), 0, now),
      retryAfter(error(422), 0, now),
    ];

    expect(waits).toEqual([7, 60, 31, 4, 1, undefined, undefined, undefined]);
  });
});
