import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { parseBotEnv } from "../bot/env.js";
import { startBot } from "../bot/server.js";
import { deliver, PRIVATE_KEY, prComment, SECRET } from "../test/bot/helpers.js";
import { installGitHubState } from "../test/fake-github/github-state.js";
import { startFakeGitHub } from "../test/fake-github/server.js";

const ROUND_TRIPS = Number(process.env.BENCH_BOT_ROUND_TRIPS ?? 500);
const DELIVERIES = Number(process.env.BENCH_BOT_DELIVERIES ?? 3000);
const CONCURRENCY = 32;
const APP_ID = 4242;

interface Results {
  p50: number;
  p99: number;
  acked: number;
  handled: number;
  plain: number;
}

/**
 * The bot in this process, as deployed; GitHub (the fake API) and the sender of deliveries in a child
 * process, so the bot has a core of its own. Measured: the `/modelgate help` round trip from delivery
 * to posted reply (eyes reaction and permission check, then the reply), and signed deliveries per
 * second at 32 in flight. Write pacing is off: GitHub's second between writes would measure GitHub's
 * policy, not the bot.
 */
export async function benchBot(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_BOT_CHILD: "1" },
  });
  const [{ host }] = (await once(child, "message")) as [{ host: string }];
  const settings = await parseBotEnv({
    APP_ID: String(APP_ID),
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    PORT: "0",
    HOST: "127.0.0.1",
    GHE_HOST: host,
    GHE_PROTOCOL: "http",
  });
  const bot = await startBot(settings, { log: pino({ level: "silent" }), octokit: { pacing: false } });
  child.send({ url: bot.url });
  const [r] = (await once(child, "message")) as [Results];
  await bot.close();
  console.table([
    {
      "help round trip p50 ms": r.p50.toFixed(1),
      "p99 ms": r.p99.toFixed(1),
      "deliveries/s acknowledged": Math.round(r.acked),
      "deliveries/s fully handled": Math.round(r.handled),
      "plain comments/s (no API call)": Math.round(r.plain),
    },
  ]);
  console.log(
    `targets: >= 300 deliveries/s, p99 <= 50 ms (${ROUND_TRIPS} sequential round trips, ${DELIVERIES} help deliveries at ${CONCURRENCY} in flight)`,
  );
}

async function child(): Promise<void> {
  const fake = await startFakeGitHub();
  const gh = installGitHubState(fake, { appId: APP_ID });
  gh.roles.set("reader", "read");
  const replied = new Map<number, () => void>();
  gh.onComment = (comment) => replied.get(comment.issue)?.();
  const reply = (issue: number) => new Promise<void>((resolve) => replied.set(issue, resolve));
  const help = (issue: number) => {
    const payload = prComment("/modelgate help", "reader");
    payload.issue.number = issue;
    return payload;
  };
  process.send!({ host: fake.host });
  const [{ url }] = (await once(process, "message")) as [{ url: string }];
  const bot = { url } as Parameters<typeof deliver>[0];

  for (let i = 1; i <= 50; i++) {
    const done = reply(1_000_000 + i);
    await deliver(bot, "issue_comment", help(1_000_000 + i));
    await done;
  }
  const latencies: number[] = [];
  for (let i = 1; i <= ROUND_TRIPS; i++) {
    const done = reply(i);
    const started = performance.now();
    await deliver(bot, "issue_comment", help(i));
    await done;
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

  const all = Array.from({ length: DELIVERIES }, (_, i) => reply(2_000_000 + i));
  const flood = async (payload: (i: number) => unknown) => {
    let next = 0;
    const sender = async () => {
      while (next < DELIVERIES) {
        const status = await deliver(bot, "issue_comment", payload(next++));
        if (status !== 200) throw new Error(`delivery answered ${status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  };
  let started = performance.now();
  await flood((i) => help(2_000_000 + i));
  const acked = (performance.now() - started) / 1000;
  await Promise.all(all);
  const handled = (performance.now() - started) / 1000;
  started = performance.now();
  await flood(() => prComment("LGTM", "reader"));
  const plain = (performance.now() - started) / 1000;
  process.send!({
    p50: at(50),
    p99: at(99),
    acked: DELIVERIES / acked,
    handled: DELIVERIES / handled,
    plain: DELIVERIES / plain,
  });
  await fake.close();
  process.disconnect?.();
}

if (process.env.BENCH_BOT_CHILD) await child();
else if (process.argv[1]?.endsWith("bench/bot.ts")) await benchBot();
