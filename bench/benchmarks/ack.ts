import { type AppStack, startAppStack } from "../lib/app-stack.ts";
import { appCpuSeconds, commandCpuSeconds, cpuSplit } from "../lib/cpu.ts";
import { runAtRate } from "../lib/load.ts";
import { type Benchmark, type BenchResult, latencyRow, type Row, type TargetCheck } from "../lib/result.ts";
import { summarize } from "../lib/stats.ts";

const channels = 5;

/** One steady phase on one platform: ack latencies (fake clock) and what never got an ack. */
interface Phase {
  label: string;
  ratePerSec: number;
  latenciesMs: number[];
  missing: number;
  late: number;
  /** Answered with something other than a deferral (a refusal), which the latency still counts. */
  notDeferred: number;
  /** Where the CPU went during the phase (see {@link cpuMeter}). */
  cpu?: string;
}

/** Starts counting CPU for a phase: the machine, the platform apps, Postgres, Redis and this process. */
function cpuMeter(stack: AppStack): () => string {
  const app = (name: string) => () => {
    const pid = stack.apps.get(name)?.child.pid;
    return pid === undefined ? 0 : appCpuSeconds(pid);
  };
  const read = cpuSplit({
    "discord app": app("discord"),
    "slack app": app("slack"),
    postgres: () => commandCpuSeconds(/^postgres/),
    redis: () => commandCpuSeconds(/^redis-server/),
    "load generator, fakes": () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1e6;
    },
  });
  return () => {
    const { machineBusy, perPart } = read();
    const parts = Object.entries(perPart)
      .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
      .join(", ");
    return `machine ${(machineBusy * 100).toFixed(0)}% busy; cores used: ${parts}`;
  };
}

function phaseRows(phase: Phase): { row: Row; fired: number } {
  const latency = summarize(phase.latenciesMs);
  return {
    row: latencyRow(`${phase.label} at ${phase.ratePerSec}/s`, latency, "ms", phase.ratePerSec),
    fired: phase.latenciesMs.length + phase.missing,
  };
}

export const ackBenchmark: Benchmark = {
  name: "ack",
  measures:
    "Discord: the fake gateway dispatches INTERACTION_CREATE → the deferred callback reaches the fake REST; Slack: the fake sends a signed /ask → Bolt's ack arrives; steady rates, distinct users",
  async run(context): Promise<BenchResult> {
    const rates = context.smoke ? [20] : [50, 200];
    const durationMs = context.smoke ? 3_000 : 60_000;
    // No worker: the ack path alone is measured (the queue fills; nothing is answered further).
    const stack = await startAppStack({
      databaseUrl: await context.createDatabase("ack"),
      redisUrl: context.redisUrl,
      workers: 0,
      webhooks: false,
      discord: true,
      slack: true,
      channels,
    });
    const { discord, slack } = stack.fakes;
    const phases: Phase[] = [];
    let serial = 0;
    try {
      for (const ratePerSec of rates) {
        const count = Math.floor((ratePerSec * durationMs) / 1000);
        // Members exist before the clock starts, so adding them is not part of the load.
        const discordUsers = Array.from({ length: count }, () =>
          discord.addMember(stack.fakes.guildId, { username: `d${serial++}` }),
        );
        context.log(`Discord at ${ratePerSec}/s for ${durationMs / 1000} s`);
        const discordCpu = cpuMeter(stack);
        const interactions: string[] = [];
        const discordRun = await runAtRate({
          ratePerSec,
          durationMs,
          drainMs: 5_000,
          fire: async (i) => {
            const ref = discord.slashCommand({
              channelId: stack.fakes.discordChannels[i % channels]!,
              userId: discordUsers[i]!,
              name: "ask",
              options: { prompt: `benchmark question ${i}` },
            });
            interactions.push(ref.interactionId);
          },
        });
        const discordCpuUsed = discordCpu();
        // Give the last deferrals their 3 s before counting what never came.
        await new Promise((resolve) => setTimeout(resolve, 3_500));
        const discordPhase: Phase = {
          label: "Discord deferral",
          ratePerSec,
          latenciesMs: [],
          missing: 0,
          late: 0,
          notDeferred: 0,
          cpu: discordCpuUsed,
        };
        for (const id of interactions) {
          const view = discord.interactionResponse(id);
          if (!view || view.callbackAt === null) discordPhase.missing++;
          else {
            if (view.callbackType !== 5) discordPhase.notDeferred++;
            discordPhase.latenciesMs.push(view.callbackAt - view.createdAt);
          }
        }
        discordPhase.missing += discordRun.fired - interactions.length;
        discordPhase.late = discordPhase.latenciesMs.filter((ms) => ms > 3_000).length;
        phases.push(discordPhase);

        const slackUsers = Array.from({ length: count }, () =>
          slack.addUser(slack.teamId, { name: `s${serial++}` }),
        );
        context.log(`Slack at ${ratePerSec}/s for ${durationMs / 1000} s`);
        const slackCpu = cpuMeter(stack);
        const slackPhase: Phase = {
          label: "Slack ack",
          ratePerSec,
          latenciesMs: [],
          missing: 0,
          late: 0,
          notDeferred: 0,
        };
        const slackRun = await runAtRate({
          ratePerSec,
          durationMs,
          drainMs: 10_000,
          fire: async (i) => {
            const answer = await slack.slashCommand({
              appUrl: stack.slackUrl,
              teamId: slack.teamId,
              channelId: stack.fakes.slackChannels[i % channels]!,
              userId: slackUsers[i]!,
              command: "/ask",
              text: `benchmark question ${i}`,
            });
            if (answer.status === 200) slackPhase.latenciesMs.push(answer.answeredAt - answer.sentAt);
          },
        });
        slackPhase.cpu = slackCpu();
        slackPhase.missing = slackRun.fired - slackPhase.latenciesMs.length;
        slackPhase.late = slackPhase.latenciesMs.filter((ms) => ms > 3_000).length;
        phases.push(slackPhase);
      }
    } finally {
      await stack.close();
    }
    const top = Math.max(...rates);
    const targets: TargetCheck[] = [];
    for (const phase of phases) {
      const p99 = summarize(phase.latenciesMs).p99;
      if (phase.ratePerSec === top) {
        targets.push({
          target: `${phase.label}: p99 < 100 ms at ${context.smoke ? `${top}/s (smoke; the target is at 200/s)` : "200/s"}`,
          measured: `p99 ${p99.toFixed(1)} ms`,
          held: context.smoke ? null : p99 < 100,
        });
      }
      targets.push({
        target: `${phase.label} at ${phase.ratePerSec}/s: no ack later than 3 s (or missing)`,
        measured: `${phase.late} late, ${phase.missing} missing, ${phase.notDeferred} answered without deferring`,
        held: phase.late === 0 && phase.missing === 0,
      });
    }
    return {
      rows: phases.map((p) => phaseRows(p).row),
      targets,
      notes: [
        `${durationMs / 1000} s per phase, ${channels} channels, one member per command; no worker ran (jobs stay queued)`,
        "latency: fake clock at dispatch (Discord) or send (Slack) → fake clock when the callback or ack arrived",
        ...phases.map((p) => `CPU during ${p.label} at ${p.ratePerSec}/s: ${p.cpu ?? "not read"}`),
      ],
    };
  },
};
