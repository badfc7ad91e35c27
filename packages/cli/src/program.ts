import { Command } from "commander";
import { registerAdminCommands } from "./commands/admin-commands.js";
import { registerDemoCommand } from "./commands/demo-command.js";
import { registerStudyCommands } from "./commands/study-commands.js";
import { registerTrialCommands } from "./commands/trial-commands.js";
import { registerUpCommand } from "./commands/up-command.js";
import type { CliEnvironment } from "./context.js";

const exitCodesHelp = `
Configuration: --api-url/--token flags, else HPO_API_URL/HPO_TOKEN, else the profile (--profile, HPO_PROFILE,
or the current one) in ~/.config/hpo/config.json (HPO_CONFIG) written by \`hpo login\` and \`hpo up\`.

Exit codes: 0 ok · 1 error · 2 usage · 3 invalid input (study file, 400) · 4 no key or not allowed (401/403)
· 5 not found (404) · 6 conflict (409) · 7 API unreachable · 8 watched study did not complete · 130 interrupted`;

/** The `hpo` command line. `setExitCode` lets long-running commands (watch, up, demo) end with their own code. */
export function buildProgram(environment: CliEnvironment, setExitCode: (code: number) => void): Command {
  const program = new Command("hpo")
    .description(
      "hpo: distributed hyperparameter tuning. Run the local stack, create and watch studies, inspect trials.",
    )
    .version("0.1.0")
    .option("--api-url <url>", "the API (HPO_API_URL; default http://127.0.0.1:3000)")
    .option("--token <key>", "an API key (HPO_TOKEN)")
    .option("--profile <name>", "a saved profile (HPO_PROFILE)")
    .option("--json", "print JSON for scripts (errors too, on stderr)")
    .addHelpText("after", exitCodesHelp)
    .showHelpAfterError("(hpo --help for usage)")
    .configureOutput({
      writeOut: (text) => void environment.stdout.write(text),
      writeErr: (text) => void environment.stderr.write(text),
    });
  registerUpCommand(program, environment, setExitCode);
  registerStudyCommands(program, environment, setExitCode);
  registerTrialCommands(program, environment);
  registerAdminCommands(program, environment);
  registerDemoCommand(program, environment, setExitCode);
  // Subcommands inherit the output settings and exit through the same path.
  program.commands.forEach(function configure(command: Command): void {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => void environment.stdout.write(text),
      writeErr: (text) => void environment.stderr.write(text),
    });
    command.showHelpAfterError();
    command.commands.forEach(configure);
  });
  return program;
}
