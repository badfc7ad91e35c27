import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

/** A Kubernetes object as parsed from YAML. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  patches?: { path: string }[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

export interface Built {
  objects: K8sObject[];
  /** Every file the build read (kustomizations, resources, patches), relative to the repository. */
  files: Set<string>;
}

const clusterScoped = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "ClusterTriggerAuthentication",
]);

function readYamlObjects(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map(String).join("; ")}`);
    return document.toJSON() as K8sObject;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A strategic-merge patch of plain fields: maps merge key by key, anything else is replaced. */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (isRecord(current) && isRecord(value)) mergePatch(current, value);
    else target[key] = value;
  }
}

/** Every container of a workload's pod template (Deployment, Job). */
export function containersOf(object: K8sObject): Record<string, unknown>[] {
  const spec = object["spec"];
  if (!isRecord(spec) || !isRecord(spec["template"])) return [];
  const podSpec = spec["template"]["spec"];
  if (!isRecord(podSpec)) return [];
  const containers = podSpec["containers"];
  return Array.isArray(containers) ? containers.filter(isRecord) : [];
}

/**
 * The subset of `kustomize build` these manifests use: resources (files and kustomization folders),
 * namespace, images and strategic-merge patches by file. Anything else in a kustomization fails the
 * build, so the manifests cannot quietly rely on a feature this check does not apply.
 */
export function kustomizeBuild(directory: string, repoRoot: string): Built {
  const file = join(directory, "kustomization.yaml");
  const kustomization = readYamlObjects(file)[0] as unknown as Kustomization & Record<string, unknown>;
  const known = new Set(["apiVersion", "kind", "namespace", "resources", "patches", "images"]);
  for (const key of Object.keys(kustomization)) {
    if (!known.has(key)) throw new Error(`${file}: kustomize field ${key} is not checked by this test`);
  }
  const files = new Set([relative(repoRoot, file)]);
  const objects: K8sObject[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(directory, entry);
    if (!existsSync(path)) throw new Error(`${file}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) {
      const inner = kustomizeBuild(path, repoRoot);
      objects.push(...inner.objects);
      for (const name of inner.files) files.add(name);
    } else {
      objects.push(...readYamlObjects(path));
      files.add(relative(repoRoot, path));
    }
  }
  for (const { path } of kustomization.patches ?? []) {
    const patchFile = resolve(directory, path);
    files.add(relative(repoRoot, patchFile));
    for (const patch of readYamlObjects(patchFile)) {
      const target = objects.find(
        (object) =>
          object.kind === patch.kind &&
          object.apiVersion === patch.apiVersion &&
          object.metadata.name === patch.metadata.name,
      );
      if (!target) throw new Error(`${patchFile}: no ${patch.kind} ${patch.metadata.name} to patch`);
      mergePatch(target, patch);
    }
  }
  for (const object of objects) {
    if (kustomization.namespace && !clusterScoped.has(object.kind)) {
      object.metadata.namespace = kustomization.namespace;
    }
    for (const container of containersOf(object)) {
      const image = kustomization.images?.find((candidate) => candidate.name === container["image"]);
      if (image) container["image"] = `${image.newName ?? image.name}:${image.newTag ?? "latest"}`;
    }
  }
  return { objects, files };
}

/** Every YAML file under a folder, relative to the repository. */
export function yamlFilesUnder(directory: string, repoRoot: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(path, repoRoot));
    else if (/\.ya?ml$/.test(entry.name)) out.push(relative(repoRoot, path));
  }
  return out.sort();
}
