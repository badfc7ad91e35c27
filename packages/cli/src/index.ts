/** @hpo/cli as a library: the program (tests build it in-process) and the pieces other packages reuse. */
export { buildProgram } from "./program.js";
export { exitCodes, exitCodeOf, CliError, type ExitCode } from "./exit-codes.js";
export { readStudyFile, checkStudyDefinition, type StudyFile } from "./study-file/read-study-file.js";
export { initializerReport, type InitializerReport } from "./demo/initializer-report.js";
