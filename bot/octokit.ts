import { ProbotOctokit } from "probot";

export interface OctokitTuning {
  /** Milliseconds waited per second of `retry-after` and of back-off: 1000, smaller in tests. */
  retryAfterBaseValue?: number;
  /** Retries after a network error, a 5xx, a 429 or a rate limit before the call fails. */
  retries?: number;
  /**
   * GitHub asks integrators to leave a second between writes. Tests and the benchmark, which talk to
   * a local fake, turn the pacing off and keep the retries.
   */
  pacing?: boolean;
}

/** Waiting longer than this for a rate limit to reset holds a job too long; the call fails instead. */
const MAX_WAIT_SECONDS = 120;
/** When a secondary rate limit comes without `retry-after`, GitHub says to wait at least a minute. */
const SECONDARY_FALLBACK_SECONDS = 60;
const WRITE_GAP_MS = 1000;

interface RequestError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined> };
}

/** Seconds to wait before trying again, or undefined when the error is final. */
export function retryAfter(error: unknown, attempt: number, now = Date.now()): number | undefined {
  const { status, message = "", response } = (error ?? {}) as RequestError;
  const headers = response?.headers ?? {};
  if (status === 403 || status === 429) {
    const header = Number(headers["retry-after"]);
    if (Number.isFinite(header) && header >= 0) return header;
    if (/secondary rate limit/i.test(message)) return SECONDARY_FALLBACK_SECONDS;
    if (headers["x-ratelimit-remaining"] === "0") {
      return Math.max(0, Math.ceil(Number(headers["x-ratelimit-reset"]) - now / 1000) + 1);
    }
    return status === 429 ? (attempt + 1) ** 2 : undefined;
  }
  // No status: the connection failed. 5xx: GitHub had a bad moment. Both usually pass.
  if (status === undefined || status >= 500) return (attempt + 1) ** 2;
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nextWrite = new Map<string, number>();

/** Writes of one installation leave WRITE_GAP_MS between them, across all its Octokit instances. */
async function pace(key: string): Promise<void> {
  const now = Date.now();
  const at = Math.max(now, nextWrite.get(key) ?? 0);
  nextWrite.set(key, at + WRITE_GAP_MS);
  if (at > now) await sleep(at - now);
}

type Plugin = Parameters<typeof ProbotOctokit.plugin>[0];

/**
 * Retries and rate limits without Octokit's throttling and retry plugins: each of those queues every
 * call through Bottleneck, whose timer ticks add about 10 ms per call and cap an installation at ten
 * calls in flight; a chat-op reply makes four calls. The rules are the same: honour `retry-after`,
 * wait for the rate-limit reset, back off after 5xx, give up after a few tries.
 */
const resilience: Plugin = (octokit, options) => {
  const tuning = ((options as { modelgate?: OctokitTuning }).modelgate ?? {}) as OctokitTuning;
  const retries = tuning.retries ?? 3;
  const base = tuning.retryAfterBaseValue ?? 1000;
  const installation = (options as { auth?: { installationId?: number } }).auth?.installationId;
  const key = String(installation ?? "token");
  octokit.hook.wrap("request", async (request, endpoint) => {
    const write = endpoint.method !== "GET" && endpoint.method !== "HEAD";
    for (let attempt = 0; ; attempt++) {
      if (write && tuning.pacing !== false) await pace(key);
      try {
        return await request(endpoint);
      } catch (error) {
        const wait = attempt < retries ? retryAfter(error, attempt) : undefined;
        if (wait === undefined || wait > MAX_WAIT_SECONDS) throw error;
        const status = (error as RequestError).status ?? "network error";
        octokit.log.warn(`${status} on ${endpoint.method} ${endpoint.url}: retrying in ${wait} s`);
        await sleep(wait * base);
      }
    }
  });
};

export function modelgateOctokit(tuning: OctokitTuning = {}): typeof ProbotOctokit {
  type Options = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
  // A function, not an object: Probot passes its own throttle options with every instance.
  return ProbotOctokit.plugin(resilience).defaults((instance: Options) => ({
    ...instance,
    throttle: { ...instance.throttle, enabled: false },
    retry: { enabled: false },
    modelgate: tuning,
  })) as typeof ProbotOctokit;
}
