import { randomUUID } from "node:crypto";
import { HpoApiError } from "@hpo/client";
import {
  pageOf,
  studyReplySchema,
  studyStates,
  validationDetailsSchema,
  type StudyReply,
} from "@hpo/contracts";
import type { Command } from "commander";
import { oneOf, positiveInteger } from "../arguments.js";
import { contextOf, type CliEnvironment, type CommandContext } from "../context.js";
import { CliError, exitCodes } from "../exit-codes.js";
import { formatParams, formatValue } from "../output/format.js";
import { checkStudyDefinition, describeIssues, readStudyFile } from "../study-file/read-study-file.js";
import { watchStudy } from "../watch/watch-study.js";

export function printStudy(context: CommandContext, study: StudyReply): void {
  const { output } = context;
  if (output.json) return output.printJson(study);
  const { definition } = study;
  output.line(`${output.colors.bold(study.name)}  ${study.id}`);
  output.line(`state:      ${study.state}${study.stateReason ? ` (${study.stateReason})` : ""}`);
  output.line(
    `${definition.objectives.length > 1 ? "objectives:" : "objective: "} ${definition.objectives.map((o) => `${o.direction} ${o.metric}`).join(", ")}`,
  );
  if (definition.constraints.length > 0) {
    output.line(
      `constraints: ${definition.constraints.map((c) => `${c.metric} ${c.op} ${c.value}`).join(", ")}`,
    );
  }
  output.line(
    `sampler:    ${definition.sampler.type}    pruner: ${definition.pruner.type}    trainer: ${definition.trainer.type}`,
  );
  output.line(
    `budget:     ${study.progress.finished}/${study.progress.maxTrials} trials, parallelism ${definition.budget.parallelism}`,
  );
  const counts = Object.entries(study.counts)
    .filter(([state, count]) => state !== "total" && count > 0)
    .map(([state, count]) => `${state} ${count}`);
  output.line(`trials:     ${counts.length > 0 ? counts.join(" · ") : "none yet"}`);
  if (definition.objectives.length > 1) {
    output.line(
      `best:       ${study.bestTrials.length > 0 ? `Pareto front of ${study.bestTrials.length} trials (hpo best ${study.name})` : (study.bestNote ?? "none yet")}`,
    );
  } else {
    output.line(
      `best:       ${study.best ? `${formatValue(study.best.value)} (trial #${study.best.number})  ${formatParams(study.best.params)}` : (study.bestNote ?? "none yet")}`,
    );
  }
  output.line(`space:      ${definition.space.map((param) => param.name).join(", ")}`);
  output.line(`created:    ${study.createdAt}${study.finishedAt ? `   finished: ${study.finishedAt}` : ""}`);
}

async function patchStudy(
  context: CommandContext,
  ref: string,
  body: { action?: "pause" | "resume" | "stop"; parallelism?: number; maxTrials?: number },
): Promise<void> {
  const session = context.session();
  const id = await session.studyId(ref);
  const study = await session.call(
    `PATCH /v1/studies/${id}`,
    () => session.api.PATCH("/v1/studies/{id}", { params: { path: { id } }, body }),
    studyReplySchema,
  );
  if (context.output.json) return context.output.printJson(study);
  context.output.line(
    `${study.name}: ${study.state}, parallelism ${study.definition.budget.parallelism}, maxTrials ${study.definition.budget.maxTrials}`,
  );
}

interface CreateOptions {
  file: string;
  name?: string;
  watch?: boolean;
  idempotencyKey?: string;
}

async function createStudy(context: CommandContext, options: CreateOptions): Promise<number> {
  const file = readStudyFile(options.file);
  const definition = checkStudyDefinition(file, options.name === undefined ? {} : { name: options.name });
  const session = context.session();
  let study: StudyReply;
  try {
    study = await session.createStudy(definition, options.idempotencyKey ?? randomUUID());
  } catch (error) {
    if (error instanceof HpoApiError && error.code === "validation_failed") {
      const details = validationDetailsSchema.safeParse(error.details);
      if (details.success) {
        throw new CliError(
          `${file.path} was refused by the API:\n${describeIssues(file, details.data.issues)}`,
          exitCodes.invalidInput,
          {
            details: error.details,
          },
        );
      }
    }
    if (error instanceof HpoApiError && error.code === "name_taken") {
      throw new CliError(
        `${error.reason}: watch it with \`hpo study watch <name>\`, or create another with --name <new name>`,
        exitCodes.conflict,
      );
    }
    throw error;
  }
  if (!options.watch) {
    if (context.output.json) context.output.printJson(study);
    else
      context.output.line(
        `created study ${study.name} (${study.id}): ${study.definition.budget.maxTrials} trials`,
      );
    return exitCodes.ok;
  }
  if (!context.output.json)
    context.output.note(
      `created study ${study.name} (${study.id}); watching it (Ctrl-C stops watching, not the study)`,
    );
  return watchStudy(session, study, context.output);
}

export function registerStudyCommands(
  program: Command,
  environment: CliEnvironment,
  setExitCode: (code: number) => void,
): void {
  const study = program.command("study").description("create, list, inspect, watch and control studies");

  study
    .command("create")
    .description("create a study from a YAML or JSON file (errors point at the file's lines)")
    .requiredOption("-f, --file <path>", "the study definition (YAML or JSON)")
    .option("--name <name>", "use this name instead of the file's")
    .option("-w, --watch", "then watch it live until it ends (exit 0 when it completes)")
    .option("--idempotency-key <key>", "repeat-safe creation: the same key returns the same study")
    .action(async (options: CreateOptions, command: Command) => {
      setExitCode(await createStudy(contextOf(command, environment), options));
    });

  study
    .command("ls")
    .description("list studies, newest first")
    .option("--state <states>", "comma-separated states: running, paused, completed, stopped")
    .option("--name <text>", "names containing this text")
    .option("--limit <n>", "at most this many", positiveInteger, 50)
    .action(async (options: { state?: string; name?: string; limit: number }, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      for (const state of options.state?.split(",") ?? []) oneOf(studyStates)(state);
      const studies: StudyReply[] = [];
      let cursor: string | undefined;
      while (studies.length < options.limit) {
        const page = await session.call(
          "GET /v1/studies",
          () =>
            session.api.GET("/v1/studies", {
              params: {
                query: {
                  limit: Math.min(100, options.limit - studies.length),
                  ...(options.state ? { state: options.state } : {}),
                  ...(options.name ? { name: options.name } : {}),
                  ...(cursor ? { cursor } : {}),
                },
              },
            }),
          pageOf(studyReplySchema),
        );
        studies.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      if (context.output.json) return context.output.printJson(studies);
      if (studies.length === 0) return context.output.line("no studies");
      context.output.table(
        ["id", "name", "state", "trials", "best", "created"],
        studies.map((item) => [
          item.id,
          item.name,
          item.state,
          `${item.progress.finished}/${item.progress.maxTrials}`,
          item.best ? `${formatValue(item.best.value)} (#${item.best.number})` : "-",
          item.createdAt.replace("T", " ").slice(0, 19),
        ]),
      );
    });

  study
    .command("show")
    .argument("<study>", "id or name")
    .description("a study's state, counts, best trial and settings")
    .action(async (ref: string, _options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      printStudy(context, await context.session().study(ref));
    });

  for (const action of ["pause", "resume", "stop"] as const) {
    study
      .command(action)
      .argument("<study>", "id or name")
      .description(
        action === "pause"
          ? "stop starting trials (running ones finish)"
          : action === "resume"
            ? "start trials again"
            : "end the study: trials not started are cancelled, running ones are told to stop",
      )
      .action(async (ref: string, _options: unknown, command: Command) => {
        await patchStudy(contextOf(command, environment), ref, { action });
      });
  }

  study
    .command("parallelism")
    .argument("<study>", "id or name")
    .argument("<n>", "trials queued or running at once", positiveInteger)
    .description("change how many trials run at once")
    .action(async (ref: string, n: number, _options: unknown, command: Command) => {
      await patchStudy(contextOf(command, environment), ref, { parallelism: n });
    });

  study
    .command("max-trials")
    .argument("<study>", "id or name")
    .argument("<n>", "the new trial budget", positiveInteger)
    .description("change the study's trial budget")
    .action(async (ref: string, n: number, _options: unknown, command: Command) => {
      await patchStudy(contextOf(command, environment), ref, { maxTrials: n });
    });

  study
    .command("delete")
    .argument("<study>", "id or name")
    .requiredOption("--yes", "yes, delete it and all its trials")
    .description("delete a study and its trials")
    .action(async (ref: string, _options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      const id = await session.studyId(ref);
      await session.send(`DELETE /v1/studies/${id}`, () =>
        session.api.DELETE("/v1/studies/{id}", { params: { path: { id } } }),
      );
      if (context.output.json) context.output.printJson({ deleted: id });
      else context.output.line(`deleted study ${id}`);
    });

  study
    .command("watch")
    .argument("<study>", "id or name")
    .description(
      "live view until the study ends: progress, ETA, running trials, best so far (exit 0 when it completes)",
    )
    .action(async (ref: string, _options: unknown, command: Command) => {
      const context = contextOf(command, environment);
      const session = context.session();
      setExitCode(await watchStudy(session, await session.study(ref), context.output));
    });
}
