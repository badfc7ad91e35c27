import { randomBytes } from "node:crypto";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { Deployment } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Namespace, Secret, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../e2e/support/service-process.js";
import { kustomizeBuild, yamlFilesUnder, type K8sObject } from "./support/kustomize.js";
import { entryPointsOf, readDockerStages, serviceEnvs, type ServiceKind } from "./support/service-env.js";

/**
 * deploy/kubernetes, checked offline: every object of both kustomizations is validated against the
 * Kubernetes (and KEDA) JSON schemas of kubernetes-models, then held against the code: env names and
 * values against each service's env schema, the KEDA list names against BullMQ's key layout, grace
 * periods against the worker's SIGTERM grace, images against the Dockerfile's stages.
 */
const root = `${repoRoot}deploy/kubernetes`;
const builds = { cpu: kustomizeBuild(root, repoRoot), gpu: kustomizeBuild(`${root}/gpu`, repoRoot) };

const models: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
};

/** Which service's env schema a container is checked against, by the component label of its workload. */
const serviceOfComponent: Record<string, ServiceKind> = {
  api: "api",
  migrate: "api",
  scheduler: "scheduler",
  "worker-cpu": "worker",
  "worker-gpu": "worker",
};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  containers: Container[];
}
interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
interface Pdb extends K8sObject {
  spec: { selector: { matchLabels: Record<string, string> } };
}
interface Trigger {
  type: string;
  name?: string;
  metadata: Record<string, string>;
  authenticationRef?: { name: string };
}
interface Scaled extends K8sObject {
  spec: {
    scaleTargetRef: { name: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers: Trigger[];
    advanced?: { scalingModifiers?: { formula: string; target: string } };
  };
}

function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}
function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = ofKind(objects, kind).find((object) => object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}
function workloads(objects: K8sObject[]): (Workload & { component: string })[] {
  return [...(ofKind(objects, "Deployment") as Workload[]), ...(ofKind(objects, "Job") as Workload[])].map(
    (workload) => ({
      ...workload,
      component: workload.spec.template.metadata.labels["app.kubernetes.io/component"] ?? "",
    }),
  );
}
function secretData(objects: K8sObject[]): Record<string, string> {
  return (named(objects, "Secret", "hpo-secrets") as K8sObject & { stringData: Record<string, string> })
    .stringData;
}
function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
function argAfter(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
}

/** A deployable value for each placeholder token: what an operator puts in the Secret. */
const filledSecrets: Record<string, string> = {
  HPO_ADMIN_TOKEN: `hpo_admin_${randomBytes(24).toString("hex")}`,
  HPO_WORKER_TOKEN: `hpo_${randomBytes(24).toString("hex")}`,
};

/** The container's environment as the kubelet would set it, with the Secret filled in. */
function resolvedEnv(container: Container, secret: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) env[variable.name] = filledSecrets[ref.key] ?? secret[ref.key] ?? "";
    else if (variable.valueFrom?.fieldRef) env[variable.name] = "hpo-worker-cpu-5d9c7-x2x8q";
    else env[variable.name] = variable.value ?? "";
  }
  return env;
}

describe.each(Object.entries(builds))("deploy/kubernetes (%s)", (flavour, { objects }) => {
  it("validates every object against the Kubernetes and KEDA schemas", () => {
    expect(objects.length).toBeGreaterThan(8);
    for (const object of objects) {
      const Model = models[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${object.apiVersion} ${object.kind} has no schema here`).toBeDefined();
      if (!Model) continue;
      expect(
        () => new Model(object as never).validate(),
        `${object.kind} ${object.metadata.name}`,
      ).not.toThrow();
    }
  });

  it("puts everything but the Namespace in namespace hpo, each name once per kind", () => {
    const seen = new Set<string>();
    for (const object of objects) {
      expect(object.metadata.namespace, object.metadata.name).toBe(
        object.kind === "Namespace" ? undefined : "hpo",
      );
      const key = `${object.kind}/${object.metadata.name}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it("selects each workload's own pods, from its Service and PodDisruptionBudget too", () => {
    const deployments = workloads(objects).filter((workload) => workload.kind === "Deployment");
    for (const deployment of deployments) {
      expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(
        true,
      );
      const pdbs = (ofKind(objects, "PodDisruptionBudget") as Pdb[]).filter((pdb) =>
        matches(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels),
      );
      expect(pdbs.length, `PodDisruptionBudget for ${deployment.metadata.name}`).toBe(1);
    }
    for (const pdb of ofKind(objects, "PodDisruptionBudget") as Pdb[]) {
      const selected = deployments.filter((d) =>
        matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels),
      );
      expect(
        selected.map((d) => d.metadata.name),
        pdb.metadata.name,
      ).toHaveLength(1);
    }
    const service = named(objects, "Service", "hpo-api") as K8sObject & {
      spec: { selector: Record<string, string>; ports: { targetPort: string }[] };
    };
    const api = named(objects, "Deployment", "hpo-api") as Workload;
    expect(matches(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
    const portNames = api.spec.template.spec.containers[0]?.ports?.map((port) => port.name);
    for (const port of service.spec.ports) expect(portNames).toContain(port.targetPort);
  });

  it("gives every container only variables its service reads, with values its env schema accepts", () => {
    const secret = secretData(objects);
    const list = workloads(objects);
    expect(list.map((workload) => workload.component).sort()).toEqual(
      flavour === "gpu"
        ? ["api", "migrate", "scheduler", "worker-cpu", "worker-gpu"]
        : ["api", "migrate", "scheduler", "worker-cpu"],
    );
    for (const workload of list) {
      const kind = serviceOfComponent[workload.component];
      expect(kind, workload.component).toBeDefined();
      if (!kind) continue;
      for (const container of workload.spec.template.spec.containers) {
        const where = `${workload.metadata.name}/${container.name}`;
        for (const variable of container.env ?? []) {
          expect(
            serviceEnvs[kind].keys.has(variable.name),
            `${where} sets ${variable.name}, never read`,
          ).toBe(true);
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) {
            expect(ref.name, where).toBe("hpo-secrets");
            expect(Object.keys(secret), `${where}: secret key ${ref.key}`).toContain(ref.key);
          }
        }
        expect(() => serviceEnvs[kind].parse(resolvedEnv(container, secret)), where).not.toThrow();
      }
    }
  });

  it("ships a Secret template with placeholders the services refuse, never a real secret", () => {
    const secret = secretData(objects);
    expect(Object.keys(secret).sort()).toEqual([
      "DATABASE_URL",
      "HPO_ADMIN_TOKEN",
      "HPO_WORKER_TOKEN",
      "REDIS_PASSWORD",
      "REDIS_URL",
    ]);
    for (const value of Object.values(secret)) expect(value).toContain("REPLACE_ME");
    const api = (named(objects, "Deployment", "hpo-api") as Workload).spec.template.spec.containers[0];
    if (!api) throw new Error("no api container");
    const unfilled: Record<string, string> = {};
    for (const variable of api.env ?? []) {
      const ref = variable.valueFrom?.secretKeyRef;
      unfilled[variable.name] = ref ? (secret[ref.key] ?? "") : (variable.value ?? "");
    }
    // An API started on the unedited template stops at once, naming both tokens.
    expect(() => serviceEnvs.api.parse(unfilled)).toThrow(/HPO_ADMIN_TOKEN[\s\S]*HPO_WORKER_TOKEN/);
  });

  it("probes the API's /readyz for readiness and /healthz for liveness on its PORT", () => {
    const api = named(objects, "Deployment", "hpo-api") as Workload;
    const container = api.spec.template.spec.containers[0];
    if (!container) throw new Error("no api container");
    expect(container.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(container.livenessProbe?.httpGet?.path).toBe("/healthz");
    const port = container.ports?.find(
      (candidate) => candidate.name === container.readinessProbe?.httpGet?.port,
    );
    const env = resolvedEnv(container, secretData(objects));
    expect(String(port?.containerPort)).toBe(env["PORT"]);
    expect(api.spec.replicas).toBeGreaterThanOrEqual(2);
    expect((named(objects, "Deployment", "hpo-scheduler") as Workload).spec.replicas).toBe(2);
  });

  it("runs images built from the Dockerfile's stages, whose entry points exist", () => {
    const stages = readDockerStages();
    for (const workload of workloads(objects)) {
      for (const container of workload.spec.template.spec.containers) {
        const match = /^registry\.example\.com\/hpo\/([a-z-]+):0\.1\.0$/.exec(container.image);
        expect(match, `${workload.metadata.name}: ${container.image}`).not.toBeNull();
        const stage = stages.get(match?.[1] ?? "");
        expect(stage, `${container.image}: Dockerfile stage`).toBeDefined();
        const commands = [...(stage?.commands ?? []), container.command ?? [], container.args ?? []];
        const entries = commands.flatMap((command) => entryPointsOf(command));
        expect(entries.length, workload.metadata.name).toBeGreaterThan(0);
        for (const entry of entries) expect(entry.exists, `${entry.built} from ${entry.source}`).toBe(true);
      }
    }
    const migrate = (named(objects, "Job", "hpo-migrate") as Workload).spec.template.spec.containers[0];
    expect(migrate?.command?.join(" ")).toContain("packages/db/dist/cli/migrate.js");
  });

  it("lets workers finish their trials on SIGTERM: terminationGracePeriodSeconds > grace + kill grace", () => {
    for (const workload of workloads(objects).filter((w) => w.component.startsWith("worker"))) {
      const container = workload.spec.template.spec.containers[0];
      if (!container) throw new Error("no worker container");
      const env = serviceEnvs.worker.parse(resolvedEnv(container, secretData(objects))) as {
        HPO_SHUTDOWN_GRACE_MS: number;
        HPO_KILL_GRACE_MS: number;
      };
      const needed = (env.HPO_SHUTDOWN_GRACE_MS + env.HPO_KILL_GRACE_MS) / 1000;
      const period = workload.spec.template.spec.terminationGracePeriodSeconds ?? 30;
      expect(period, workload.metadata.name).toBeGreaterThanOrEqual(needed + 10);
      expect(period, workload.metadata.name).toBeLessThanOrEqual(needed + 60);
    }
  });

  it("autoscales each worker pool with KEDA on that pool's queued jobs and busy slots", () => {
    const secret = secretData(objects);
    const scaled = ofKind(objects, "ScaledObject") as Scaled[];
    const pools = workloads(objects).filter((w) => w.component.startsWith("worker"));
    expect(scaled.map((s) => s.spec.scaleTargetRef.name).sort()).toEqual(
      pools.map((w) => w.metadata.name).sort(),
    );
    const api = named(objects, "Deployment", "hpo-api") as Workload & {
      spec: { template: { metadata: { annotations?: Record<string, string> } } };
    };
    // Prometheus scrapes the API's /metrics, where the per-pool gauges live.
    expect(api.spec.template.metadata.annotations?.["prometheus.io/scrape"]).toBe("true");
    expect(api.spec.template.metadata.annotations?.["prometheus.io/path"]).toBe("/metrics");
    for (const pool of pools) {
      const object = scaled.find((s) => s.spec.scaleTargetRef.name === pool.metadata.name);
      if (!object) throw new Error(`no ScaledObject for ${pool.metadata.name}`);
      // KEDA owns the replica count: a replicas field would fight it on every apply.
      expect(pool.spec.replicas, pool.metadata.name).toBeUndefined();
      const container = pool.spec.template.spec.containers[0];
      if (!container) throw new Error("no worker container");
      const poolName =
        argAfter([...(container.command ?? []), ...(container.args ?? [])], "--pool") ?? "default";
      const queries = Object.fromEntries(
        object.spec.triggers.map((t) => [t.name ?? "", t.metadata["query"]]),
      );
      // Each trigger reads this pool's series of the API's gauges (operator-metrics.ts).
      expect(queries).toEqual({
        waiting: `sum(hpo_pool_queue_jobs{pool="${poolName}",state=~"waiting|prioritized|delayed"}) or vector(0)`,
        running: `sum(hpo_pool_worker_slots{pool="${poolName}",kind="busy"}) or vector(0)`,
      });
      for (const trigger of object.spec.triggers) {
        expect(trigger.type).toBe("prometheus");
        expect(trigger.metadata["serverAddress"]).toMatch(/^http:\/\/[a-z0-9.-]+\.svc\.cluster\.local:9090$/);
      }
      const modifiers = object.spec.advanced?.scalingModifiers;
      expect(modifiers?.formula).toBe("waiting + running");
      // The target is the pod's trial slots: --concurrency, or GPUs x --trials-per-gpu.
      const args = [...(container.command ?? []), ...(container.args ?? [])];
      const gpus = Number(container.resources?.limits?.["nvidia.com/gpu"] ?? 0);
      const slots =
        gpus > 0
          ? gpus * Number(argAfter(args, "--trials-per-gpu") ?? 1)
          : Number(argAfter(args, "--concurrency"));
      expect(modifiers?.target, pool.metadata.name).toBe(String(slots));
    }
    // Schedulers enqueue where the workers (and KEDA) look.
    const scheduler = (named(objects, "Deployment", "hpo-scheduler") as Workload).spec.template.spec
      .containers[0];
    if (!scheduler) throw new Error("no scheduler container");
    expect(resolvedEnv(scheduler, secret)["HPO_QUEUE_PREFIX"]).toBe("hpo");
  });

  it("gives GPU pods one GPU and one trial slot, and the CPU pool no GPU", () => {
    for (const pool of workloads(objects).filter((w) => w.component.startsWith("worker"))) {
      const container = pool.spec.template.spec.containers[0];
      const args = [...(container?.command ?? []), ...(container?.args ?? [])];
      if (pool.component === "worker-gpu") {
        expect(container?.resources?.limits?.["nvidia.com/gpu"]).toBe(1);
        expect(argAfter(args, "--gpus")).toBe("auto");
        expect(argAfter(args, "--trials-per-gpu")).toBe("1");
        expect(argAfter(args, "--backend")).toBe("gpu");
      } else {
        expect(container?.resources?.limits?.["nvidia.com/gpu"]).toBeUndefined();
        expect(argAfter(args, "--gpus")).toBe("none");
      }
    }
  });
});

describe("deploy/kubernetes files", () => {
  it("are all part of a kustomization (no stray manifest that is never applied)", () => {
    const used = new Set([...builds.cpu.files, ...builds.gpu.files]);
    for (const file of yamlFilesUnder(root, repoRoot)) expect(used.has(file), file).toBe(true);
  });

  it("keep one CPU pod beside the GPU pool in the gpu overlay", () => {
    const cpu = named(builds.gpu.objects, "ScaledObject", "hpo-worker-cpu") as Scaled;
    expect([cpu.spec.minReplicaCount, cpu.spec.maxReplicaCount]).toEqual([1, 1]);
    const gpu = named(builds.gpu.objects, "ScaledObject", "hpo-worker-gpu") as Scaled;
    expect(gpu.spec.minReplicaCount).toBe(0);
    const base = named(builds.cpu.objects, "ScaledObject", "hpo-worker-cpu") as Scaled;
    expect(base.spec.maxReplicaCount).toBeGreaterThan(1);
  });
});
