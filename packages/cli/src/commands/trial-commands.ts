import { parse as parseCsv } from "csv-parse/sync";
import { stringify as stringifyCsv } from "csv-stringify/sync";
import {
  trainingDiagnosticsSchema,
  trialReplySchema,
  trialStates,
  type ParamSpec,
  type ParamValue,
  type TrialReply,
} from "@hpo/contracts";
import type { Command } from "commander";
import { collectPair, nonNegativeInteger, oneOf, positiveInteger } from "../arguments.js";
import { contextOf, type CliEnvironment, type CommandContext } from "../context.js";
import { CliError, exitCodes } from "../exit-codes.js";
import { diagnosticsHead, diagnosticsRows, explainFlag } from "../output/explain-diagnostics.js";
import { formatDuration, formatParams, formatValue } from "../output/format.js";
import type { TrialSortQuery } from "../session.js";

const sorts = ["number", "-number", "value", "-value", "duration", "-duration"] as const;
const formats = ["table", "json", "csv"] as const;

/** `--param lr=0.01`: the value read as the space declares the parameter (a choice keeps its own type). */
export function coerceParam(spec: ParamSpec | undefined, name: string, text: string): ParamValue {
  if (!spec) throw new CliError(`the study has no parameter "${name}"`, exitCodes.invalidInput);
  if (spec.type === "categorical") {
    const choice = spec.choices.find((option) => String(option) === text);
    if (choice === undefined) {
      throw new CliError(
        `${name} must be one of ${spec.choices.map(String).join(", ")}, got "${text}"`,
        exitCodes.invalidInput,
      );
    }
    return choice;
  }
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new CliError(`${name} must be a number, got "${text}"`, exitCodes.invalidInput);
  }
  return value;
}

/** What `current` adds to `previous`. The API keeps a trial's last 1 MiB, so the head may have been cut. */
export function newOutput(previous: string, current: string): string {
  if (current.startsWith(previous)) return current.slice(previous.length);
  const tail = previous.slice(-200);
  const at = tail === "" ? -1 : current.lastIndexOf(tail);
  return at >= 0 ? current.slice(at + tail.length) : current;
}

function trialRow(trial: TrialReply): (string | number)[] {
  return [
    trial.number,
    trial.state,
    formatValue(trial.value),
    formatParams(trial.params),
    formatDuration(trial.durationMs),
    trial.origin,
  ];
}

function printTrial(context: CommandContext, trial: TrialReply, metric: string): void {
  const { output } = context;
  if (output.json) return output.printJson(trial);
  output.line(`${output.colors.bold(`trial #${trial.number}`)}  ${trial.id}`);
  output.line(`state:     ${trial.state}${trial.error ? `  (${trial.error})` : ""}`);
  output.line(`value:     ${formatValue(trial.value)} (${metric})`);
  output.line(`params:    ${formatParams(trial.params)}`);
  if (trial.metrics) output.line(`metrics:   ${formatParams(trial.metrics)}`);
  output.line(
    `origin:    ${trial.origin}, attempt ${trial.attempt}${trial.retryOf ? ` (retry of ${trial.retryOf})` : ""}`,
  );
  output.line(
    `ran on:    ${trial.workerId ?? "-"}${trial.backend ? `, backend ${trial.backend}` : ""}${trial.gpu ? `, GPU ${trial.gpu}` : ""}, ${formatDuration(trial.durationMs)}`,
  );
  const reports = trial.reports ?? [];
  if (reports.length > 0) {
    output.line(output.colors.bold("reports"));
    output.table(
      ["step", "value", "metrics"],
      reports.map((report) => [
        report.step,
        formatValue(report.value),
        report.metrics ? formatParams(report.metrics) : "",
      ]),
    );
  }
  if (trial.diagnostics === null || trial.diagnostics === undefined) return;
  const diagnostics = trainingDiagnosticsSchema.safeParse(trial.diagnostics);
  if (!diagnostics.success) {
    output.line(`diagnostics: ${JSON.stringify(trial.diagnostics)}`);
    return;
  }
  const { flags, thresholds } = diagnostics.data;
  output.line(output.colors.bold("initialization diagnostics"));
  if (flags.length === 0)
    output.line("  no flags: no layer dead or saturated at the start, and the symmetry was broken");
  for (const flag of flags) output.line(`  ${output.colors.yellow("⚑")} ${explainFlag(flag, thresholds)}`);
  output.table(diagnosticsHead, diagnosticsRows(diagnostics.data));
}

interface TrialsOptions {
  state?: string;
  sort: TrialSortQuery;
  top?: number;
  format: (typeof formats)[number];
}

async function listTrials(context: CommandContext, ref: string, options: TrialsOptions): Promise<void> {
  const session = context.session();
  const id = await session.studyId(ref);
  for (const state of options.state?.split(",") ?? []) oneOf(trialStates)(state);
  const query = { ...(options.state ? { state: options.state } : {}), sort: options.sort };
  const format = context.output.json ? "json" : options.format;
  if (format === "csv") {
    // The API's CSV (a column per param and metric); --top keeps the first N records.
    const csv = await session.text(`GET /v1/studies/${id}/trials?format=csv`, () =>
      session.api.GET("/v1/studies/{id}/trials", {
        params: { path: { id }, query: { ...query, format: "csv" } },
        parseAs: "text",
      }),
    );
    if (options.top === undefined) return void process.stdout.write(csv);
    const records: string[][] = parseCsv(csv, { relax_column_count: true });
    return void process.stdout.write(stringifyCsv(records.slice(0, options.top + 1)));
  }
  const trials = await session.allTrials(id, query, options.top);
  if (format === "json") return context.output.printJson(trials);
  if (trials.length === 0) return context.output.line("no trials");
  context.output.table(["#", "state", "value", "params", "duration", "origin"], trials.map(trialRow));
}

export function registerTrialCommands(program: Command, environment: CliEnvironment): void {
  program
    .command("trials")
    .argument("<study>", "id or name")
    .description("list a study's trials")
    .option("--state <states>", `comma-separated: ${trialStates.join(", ")}`)
    .option("--sort <order>", `${sorts.join(", ")} (- for descending)`, oneOf(sorts), "number")
    .option("--top <n>", "only the first N (with --sort value: the N best for minimize)", positiveInteger)
    .option("--format <format>", "table, json or csv", oneOf(formats), "table")
    .action(async (ref: string, options: TrialsOptions, command: Command) => {
      await listTrials(contextOf(command, environment), ref, options);
    });

  program
    .command("best")
    .argument("<study>", "id or name")
    .description("the study's best trial, with its metrics and reports")
    .action(async (ref: string, _options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const study = await session.study(ref);
      const { objectives } = study.definition;
      if (objectives.length > 1 && study.bestTrials.length > 0) {
        // Several objectives: the best is the Pareto front, one row per non-dominated trial.
        if (context.output.json) return context.output.printJson(study.bestTrials);
        context.output.line(
          `Pareto front of ${study.name}: ${study.bestTrials.length} trials (${objectives.map((o) => `${o.direction} ${o.metric}`).join(", ")})`,
        );
        context.output.table(
          ["trial", ...objectives.map((o) => o.metric), "params"],
          study.bestTrials.map((best) => [
            `#${best.number}`,
            ...objectives.map((_, index) => formatValue(best.values[index] ?? null)),
            formatParams(best.params),
          ]),
        );
        return;
      }
      if (!study.best)
        throw new CliError(
          study.bestNote ?? `study ${study.name} has no complete trial yet`,
          exitCodes.notFound,
        );
      const bestId = study.best.id;
      const trial = await session.call(
        `GET /v1/trials/${bestId}`,
        () => session.api.GET("/v1/trials/{id}", { params: { path: { id: bestId } } }),
        trialReplySchema,
      );
      printTrial(context, trial, study.definition.objective.metric);
    });

  const trial = program.command("trial").description("add a trial of your own, or look at one");

  trial
    .command("add")
    .argument("<study>", "id or name")
    .requiredOption("-p, --param <name=value>", "a parameter's value (repeat for each)", collectPair)
    .description("enqueue a trial with these params; it runs before any sampled one")
    .action(async (ref: string, options: { param: [string, string][] }, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const study = await session.study(ref);
      const space = new Map(study.definition.space.map((spec) => [spec.name, spec]));
      const params = Object.fromEntries(
        options.param.map(([name, text]) => [name, coerceParam(space.get(name), name, text)]),
      );
      const created = await session.call(
        `POST /v1/studies/${study.id}/trials`,
        () =>
          session.api.POST("/v1/studies/{id}/trials", {
            params: { path: { id: study.id } },
            body: { params },
          }),
        trialReplySchema,
      );
      if (context.output.json) return context.output.printJson(created);
      context.output.line(
        `enqueued trial #${created.number} of ${study.name}: ${formatParams(created.params)}`,
      );
    });

  trial
    .command("show")
    .argument("<study>", "id or name")
    .argument("<number>", "the trial's number in the study", nonNegativeInteger)
    .description(
      "a trial: params, metrics, reports, and the tfjs trainer's initialization diagnostics explained",
    )
    .action(async (ref: string, number: number, _options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const study = await session.study(ref);
      printTrial(context, await session.trialByNumber(study.id, number), study.definition.objective.metric);
    });

  program
    .command("logs")
    .argument("<study>", "id or name")
    .argument("<number>", "the trial's number in the study", nonNegativeInteger)
    .option("-f, --follow", "keep printing new output until the trial ends")
    .description("a trial's output (the last 1 MiB)")
    .action(async (ref: string, number: number, options: { follow?: boolean }, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const studyId = await session.studyId(ref);
      const trialId = (await session.trialByNumber(studyId, number)).id;
      const read = () =>
        session.text(`GET /v1/trials/${trialId}/logs`, () =>
          session.api.GET("/v1/trials/{id}/logs", { params: { path: { id: trialId } }, parseAs: "text" }),
        );
      let shown = await read();
      process.stdout.write(shown);
      if (!options.follow) return;
      for (;;) {
        const current = await session.call(
          `GET /v1/trials/${trialId}`,
          () => session.api.GET("/v1/trials/{id}", { params: { path: { id: trialId } } }),
          trialReplySchema,
        );
        const text = await read();
        process.stdout.write(newOutput(shown, text));
        shown = text;
        if (!["waiting", "queued", "running"].includes(current.state)) return;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    });
}
