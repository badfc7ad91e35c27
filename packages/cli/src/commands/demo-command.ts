import { randomUUID } from "node:crypto";
import { diagnosticFlags, type StudyReply } from "@hpo/contracts";
import type { Command } from "commander";
import { positiveInteger } from "../arguments.js";
import { contextOf, type CliEnvironment, type CommandContext } from "../context.js";
import {
  defaultDemoBudget,
  demoInitializers,
  demoManualTrials,
  demoStudyDefinition,
  type DemoBudget,
} from "../demo/demo-study.js";
import { initializerReport, type InitializerReport } from "../demo/initializer-report.js";
import { exitCodes } from "../exit-codes.js";
import { explainFlag } from "../output/explain-diagnostics.js";
import { formatParams, formatValue } from "../output/format.js";
import { watchStudy } from "../watch/watch-study.js";

interface DemoOptions extends DemoBudget {
  name?: string;
}

function printReport(context: CommandContext, study: StudyReply, report: InitializerReport): void {
  const { output } = context;
  const metric = study.definition.objective.metric;
  output.line("");
  output.line(output.colors.bold(`What the demo learned (${metric}, higher is better)`));
  output.table(
    ["initializer", "trials", "complete", `best ${metric}`, "median", "dead", "saturated", "symmetric"],
    report.rows.map((row) => [
      row.initializer,
      row.trials,
      row.complete,
      formatValue(row.best),
      formatValue(row.median),
      row.flagged["dead-units"],
      row.flagged.saturated,
      row.flagged["symmetric-weights"],
    ]),
  );
  output.line(`initializers from best to worst: ${report.ranking.join(" > ")}`);
  if (report.flagged.length === 0) {
    output.line("no trial was flagged dead, saturated or symmetric");
  } else {
    output.line(output.colors.bold("flagged trials"));
    for (const trial of report.flagged) {
      output.line(
        `  #${trial.number} ${trial.initializer}: ${metric} ${formatValue(trial.value)}  ${trial.flags.join(", ")}`,
      );
    }
    const thresholds = { deadFraction: 0.5, saturatedFraction: 0.25 };
    for (const flag of diagnosticFlags) {
      if (report.flagged.some((trial) => trial.flags.includes(flag)))
        output.line(`  ⚑ ${explainFlag(flag, thresholds)}`);
    }
  }
  if (study.best) {
    output.line(
      `best trial #${study.best.number}: ${metric} ${formatValue(study.best.value)}  ${formatParams(study.best.params)}`,
    );
  }
  output.line(
    `more: npx hpo trials ${study.name} --sort=-value --top 5   npx hpo trial show ${study.name} <number>`,
  );
}

async function runDemo(context: CommandContext, options: DemoOptions): Promise<number> {
  const session = context.session();
  const name = options.name ?? `demo-digits-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "")}`;
  // The hand-tried baseline goes in the definition (initialTrials), so it is numbered first, before any
  // sampled trial, and counts toward maxTrials.
  const definition = {
    ...demoStudyDefinition(name, options),
    initialTrials: demoManualTrials().slice(0, options.trials),
  };
  const study = await session.createStudy(definition, randomUUID());
  if (!context.output.json) {
    context.output.note(
      `study ${name}: ${options.trials} trials of a digits network (${options.epochs} epochs on ${options.samples} digits), ${options.parallelism} at once; the four initializers are tried first with the same settings`,
    );
  }
  const code = await watchStudy(session, study, context.output);
  if (code === exitCodes.interrupted) return code;
  const final = await session.study(study.id);
  const trials = await session.allTrials(study.id, { sort: "number" });
  const report = initializerReport(trials, demoInitializers, final.definition.objective.direction);
  if (context.output.json) context.output.printJson({ study: final, report });
  else printReport(context, final, report);
  return code;
}

export function registerDemoCommand(
  program: Command,
  environment: CliEnvironment,
  setExitCode: (code: number) => void,
): void {
  program
    .command("demo")
    .description(
      "tune a digits network (learning rate, batch size, momentum, hidden units, layers, four initializers) with the built-in tfjs trainer, then report how each initializer fared",
    )
    .option("--trials <n>", "trials in all", positiveInteger, defaultDemoBudget.trials)
    .option("--epochs <n>", "epochs per trial", positiveInteger, defaultDemoBudget.epochs)
    .option(
      "--samples <n>",
      "digits used (training + validation)",
      positiveInteger,
      defaultDemoBudget.samples,
    )
    .option("--parallelism <n>", "trials at once", positiveInteger, defaultDemoBudget.parallelism)
    .option("--seed <n>", "the sampler's seed", positiveInteger, defaultDemoBudget.seed)
    .option("--name <name>", "the study's name (default: demo-digits-<time>)")
    .action(async (options: DemoOptions, command: Command) => {
      setExitCode(await runDemo(contextOf(command, environment), options));
    });
}
