import { pino } from "pino";
import { parseBotEnv } from "../bot/env.js";
import { startBot } from "../bot/server.js";
import { deliver, PRIVATE_KEY, prComment, SECRET } from "../test/bot/helpers.js";
import { installGitHubState } from "../test/fake-github/github-state.js";
import { startFakeGitHub } from "../test/fake-github/server.js";

const ROUND_TRIPS = Number(process.env.BENCH_BOT_ROUND_TRIPS ?? 500);
const DELIVERIES = Number(process.env.BENCH_BOT_DELIVERIES ?? 3000);
const CONCURRENCY = 32;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * The bot on loopback against the fake GitHub API in the same process (so both share the CPU):
 * signed deliveries per second, and the `/modelgate help` round trip from delivery to posted reply
 * (eyes reaction, permission check, reply, rocket reaction). Write pacing is off: GitHub's one second
 * between writes would measure GitHub's policy, not the bot.
 */
export async function benchBot(): Promise<void> {
  const fake = await startFakeGitHub();
  const gh = installGitHubState(fake);
  gh.roles.set("reader", "read");
  const settings = await parseBotEnv({
    APP_ID: String(gh.appId),
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    PORT: "0",
    HOST: "127.0.0.1",
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
  });
  const bot = await startBot(settings, { log: pino({ level: "silent" }), octokit: { pacing: false } });
  const waiting = new Map<number, () => void>();
  gh.onComment = (comment) => waiting.get(comment.issue)?.();
  const help = (issue: number) => {
    const payload = prComment("/modelgate help", "reader");
    payload.issue.number = issue;
    return payload;
  };

  // Warm-up: token exchange, JIT.
  for (let i = 0; i < 50; i++) await deliver(bot, "issue_comment", help(1_000_000 + i));
  await bot.idle();

  const latencies: number[] = [];
  for (let i = 1; i <= ROUND_TRIPS; i++) {
    const replied = new Promise<void>((resolve) => waiting.set(i, resolve));
    const started = performance.now();
    await deliver(bot, "issue_comment", help(i));
    await replied;
    latencies.push(performance.now() - started);
    waiting.delete(i);
  }
  latencies.sort((a, b) => a - b);

  let next = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < DELIVERIES) {
      const issue = 2_000_000 + next++;
      const status = await deliver(bot, "issue_comment", help(issue));
      if (status !== 200) throw new Error(`delivery answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  const acked = (performance.now() - started) / 1000;
  await bot.idle();
  const done = (performance.now() - started) / 1000;

  await bot.close();
  await fake.close();
  console.table([
    {
      "help round trip p50 ms": percentile(latencies, 50).toFixed(1),
      "p99 ms": percentile(latencies, 99).toFixed(1),
      "deliveries/s acknowledged": Math.round(DELIVERIES / acked),
      "deliveries/s fully handled": Math.round(DELIVERIES / done),
    },
  ]);
  console.log(
    `targets: >= 300 deliveries/s, p99 <= 50 ms (${ROUND_TRIPS} sequential round trips, ${DELIVERIES} deliveries at concurrency ${CONCURRENCY})`,
  );
}

if (process.argv[1]?.endsWith("bench/bot.ts")) await benchBot();
