export { startInProcessTrial } from "./child/run-in-process-trial.js";
export {
  runSyntheticTrainer,
  syntheticIntermediateValue,
  type SyntheticTrainerContext,
  type SyntheticOutcome,
} from "./synthetic/synthetic-trainer.js";
export {
  startChildTrial,
  describeChildExit,
  type ChildRunResult,
  type ChildTrialHandle,
} from "./child/run-child-trial.js";
export {
  detectGpus,
  parseNvidiaSmiOutput,
  resolveGpus,
  type GpuInfo,
  type GpuOption,
} from "./gpu/detect-gpus.js";
export { GpuAllocator, type GpuGrant } from "./gpu/gpu-allocator.js";
export { chooseGpus, type GpuUse, type GpuRequest, type GpuPick } from "./gpu/choose-gpus.js";
export { canSwitchUsers, type ProjectIsolation } from "./child/project-isolation.js";
export {
  parseWorkerArgs,
  wantsHelp,
  workerUsage,
  type WorkerArgs,
  type WorkerBackend,
} from "./options/parse-worker-args.js";
export {
  createWorkerApiClient,
  isConflict,
  type WorkerApiClient,
  type ClaimedTrial,
  type TellBody,
  type WorkerRegistration,
} from "./api/worker-api-client.js";
export { executeTrialJob, decideTell, type TrialJobResult } from "./trial/execute-trial-job.js";
export { startWorkerService, type WorkerService, type WorkerServiceOptions } from "./worker-service.js";
