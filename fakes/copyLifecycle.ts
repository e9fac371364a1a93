/**
 * What `pulumi up` does in the cluster to the copies of secrets (the `-k8s` Secrets and `-eso`
 * ExternalSecrets), given the copies the previous run and this run declare. The mock runtime
 * enforces none of this and never sees resource options, so the model takes each copy's
 * options from the program's own `copyOptions` and applies the upstream rules, each cited:
 *
 * - Pulumi v3.248.0 pkg/resource/deploy/step_generator.go: a resource is matched to its old
 *   state by URN, then by alias (getOldResource); with none it is created; a diff that replaces
 *   (the provider's, or a path under `replaceOnChanges`, applyReplaceOnChanges) is a
 *   replacement, deleted first when `deleteBeforeReplace` says so (the option overrides the
 *   provider); old resources the program no longer declares are deleted after every other
 *   step (deployment_executor.go Execute, performPostSteps).
 * - pulumi-kubernetes master 94977969 (after 4.32.0): provider/pkg/await/await.go Creation
 *   creates client-side (AlreadyExists on a taken name); Deletion deletes with foreground
 *   propagation (metadata/overrides.go DeletionPropagation) and waits for the Deleted event;
 *   provider/pkg/provider/diff.go forceNewProperties (a Secret's data and type replace unless
 *   `enableSecretMutable`) and provider.go Diff (delete-before-replace when the name stays);
 *   `condition=Ready` (await/condition/kubectl.go checkCondition) is judged on the object as it
 *   is, and compares generations only when the status has an observedGeneration.
 * - ESO v2.9.0 pkg/controllers/externalsecret/externalsecret_controller.go: with
 *   `creationPolicy: Owner` ESO creates the target Secret, or takes over one no other
 *   ExternalSecret controls (applyOwnership), as its controller with a blocking owner reference
 *   (controller-runtime v0.24.1 SetControllerReference); with `deletionPolicy: Retain` its
 *   finalizer deletes nothing (cleanupManagedSecrets) and an ExternalSecret being deleted is
 *   not synced again (Reconcile returns after its finalizer); it recreates a Secret it owns that
 *   goes missing (isSecretValid), later, on its own schedule. Its status has no
 *   observedGeneration.
 * - Kubernetes garbage collector (pkg/controller/garbagecollector/garbagecollector.go
 *   processDeletingDependentsItem): a foreground-deleted owner stays until its blocking
 *   dependents are deleted.
 */
import type { ProgramRun } from "../offline";
import { DELIVERIES, type Delivery } from "../config/contract/delivery";
import { LABELS } from "../core/names";
import { kubernetesCopyOptions } from "../components/secrets/kubernetesCopy";
import { COPY_RESOURCES, type CopyOptions, copyOptions } from "../components/secrets/versionCopy";

/** One copy a run declares, with the options the program gives it. */
export interface Copy {
  /** The Pulumi type and resource name: its URN. */
  type: string;
  name: string;
  kind: "Secret" | "ExternalSecret";
  /** `metadata.name`. */
  objectName: string;
  /** The Secret this copy makes exist: itself, or the ExternalSecret's target. */
  secretName: string;
  /** What that Secret holds: the data, or the AWS secret and version ESO extracts. */
  content: string;
  inputs: Record<string, unknown>;
  options: CopyOptions;
}

/** The copies a run declares, in declaration order, with the program's options for each. */
export function copiesOf(run: ProgramRun, options = copyOptions): Copy[] {
  const copies: Copy[] = [];
  for (const r of run.resources) {
    const delivery = DELIVERIES.find(
      (d) => COPY_RESOURCES[d].type === r.type && r.name.endsWith(`-${COPY_RESOURCES[d].suffix}`),
    );
    if (!delivery) continue;
    const inputs = r.inputs as any;
    const role = r.name.slice(0, -`-${COPY_RESOURCES[delivery].suffix}`.length);
    const versioned = inputs.metadata.labels?.[LABELS.version] !== undefined;
    copies.push({
      type: r.type,
      name: r.name,
      kind: delivery === "direct" ? "Secret" : "ExternalSecret",
      objectName: inputs.metadata.name,
      secretName: delivery === "direct" ? inputs.metadata.name : inputs.spec.target.name,
      content: contentOf(delivery, inputs),
      inputs,
      options: options(delivery, role, versioned),
    });
  }
  return copies;
}

function contentOf(delivery: Delivery, inputs: any): string {
  if (delivery === "direct") return `data ${JSON.stringify(inputs.data)}`;
  const extract = inputs.spec.dataFrom[0].extract;
  return `aws ${extract.key} ${extract.version ?? "AWSCURRENT"}`;
}

/** An object in the cluster. */
export interface KubeObject {
  kind: "Secret" | "ExternalSecret";
  name: string;
  /** Secret: the ExternalSecret that controls it (blocking owner reference). */
  controller?: string;
  /** Secret: what it holds. */
  content?: string;
  /** ExternalSecret: the Secret it writes, its spec's content, and its last sync's (status). */
  target?: string;
  wants?: string;
  synced?: string;
}

export class Cluster {
  readonly objects = new Map<string, KubeObject>();
  /** Secrets ESO will write again after `pulumi up`, on its own schedule. */
  readonly pendingSyncs = new Set<string>();

  get(kind: KubeObject["kind"], name: string): KubeObject | undefined {
    return this.objects.get(`${kind}/${name}`);
  }

  put(object: KubeObject): void {
    this.objects.set(`${object.kind}/${object.name}`, object);
  }

  remove(kind: KubeObject["kind"], name: string): void {
    this.objects.delete(`${kind}/${name}`);
  }

  /** ESO's reconcile of one ExternalSecret: write its target Secret, record the sync. */
  eso(es: KubeObject): void {
    const target = es.target!;
    const secret = this.get("Secret", target);
    if (secret?.controller !== undefined && secret.controller !== es.name) {
      throw new Error(`ESO: Secret ${target} is owned by ExternalSecret ${secret.controller}`);
    }
    this.put({ kind: "Secret", name: target, controller: es.name, content: es.wants });
    es.synced = es.wants;
    this.pendingSyncs.delete(es.name);
  }

  /** ESO catching up after `pulumi up`. */
  settle(): void {
    for (const name of [...this.pendingSyncs]) {
      const es = this.get("ExternalSecret", name);
      if (es) this.eso(es);
    }
  }
}

export interface UpSettings {
  /** `kubernetes:enableSecretMutable`. Default false. */
  enableSecretMutable?: boolean;
}

export interface UpResult {
  /** The steps in the order the engine ran them (`create`, `update`, `delete`, `same`). */
  steps: string[];
  /** The error `pulumi up` stopped with, if any. */
  error?: string;
  /** Per Secret name: what it held when its copy was reported ready (what a rollout reads). */
  readyContent: Map<string, string>;
  /** ExternalSecrets whose `condition=Ready` was met by the previous sync's status. */
  staleReady: string[];
  /** The copies in Pulumi's state afterwards. */
  state: Copy[];
}

const key = (type: string, name: string) => `${type}::${name}`;

/** Leaf paths (`spec.target.name`, `kind`) whose values differ between two objects. */
export function changedPaths(before: unknown, after: unknown, at = ""): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changedPaths(before[k], after[k], at ? `${at}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [at];
}

/** pulumi sdk/go/common/resource/properties_path.go Contains: `*` matches any key. */
function pathContains(pattern: string, path: string): boolean {
  const p = pattern.split(".");
  const q = path.split(".");
  return q.length >= p.length && p.every((part, i) => part === "*" || part === q[i]);
}

/** diff.go forceNewProperties with the new object's kind; provider.go Diff. */
function providerReplaces(copy: Copy, changed: string[], settings: UpSettings): boolean {
  const forceNew = ["metadata.name", "metadata.namespace"];
  if (copy.kind === "Secret" && !settings.enableSecretMutable) {
    forceNew.push("type", "stringData", "data");
  }
  return changed.some((path) => forceNew.some((f) => pathContains(f, path)));
}

/** Runs one `pulumi up` from `previous` (the copies in state) to `next`, on `cluster`. */
export function up(
  previous: readonly Copy[],
  next: readonly Copy[],
  cluster: Cluster,
  settings: UpSettings = {},
): UpResult {
  const steps: string[] = [];
  const readyContent = new Map<string, string>();
  const staleReady: string[] = [];
  const olds = new Map(previous.map((c) => [key(c.type, c.name), c] as const));
  const matched = new Set<string>();
  const state: Copy[] = [];

  const create = (copy: Copy) => {
    // await.go Creation: client.Create; the API server refuses a taken name.
    if (cluster.get(copy.kind, copy.objectName)) {
      throw new Error(`${copy.kind} "${copy.objectName}" already exists (creating ${copy.name})`);
    }
    steps.push(`create ${copy.name}`);
    if (copy.kind === "Secret") {
      cluster.put({ kind: "Secret", name: copy.objectName, content: copy.content });
    } else {
      const es: KubeObject = {
        kind: "ExternalSecret",
        name: copy.objectName,
        target: copy.secretName,
        wants: copy.content,
      };
      cluster.put(es);
      // A new object has no status: condition=Ready waits for ESO's first sync.
      cluster.eso(es);
    }
    readyContent.set(copy.secretName, cluster.get("Secret", copy.secretName)!.content!);
  };

  const update = (old: Copy, copy: Copy) => {
    steps.push(`update ${copy.name}`);
    if (copy.kind !== old.kind) throw new Error(`update of ${copy.name} changes its kind`);
    if (copy.kind === "Secret") {
      cluster.put({ kind: "Secret", name: copy.objectName, content: copy.content });
      readyContent.set(copy.secretName, copy.content);
      return;
    }
    const es = cluster.get("ExternalSecret", copy.objectName)!;
    es.wants = copy.content;
    // checkCondition: Ready=True from the last sync, no observedGeneration to compare.
    if (es.synced !== undefined && es.synced !== es.wants) {
      staleReady.push(copy.name);
      cluster.pendingSyncs.add(es.name);
    }
    readyContent.set(copy.secretName, cluster.get("Secret", copy.secretName)?.content ?? "");
  };

  const remove = (old: Copy) => {
    steps.push(`delete ${old.name}`);
    if (old.kind === "ExternalSecret") {
      // Foreground: the garbage collector deletes the Secrets it controls first; ESO's
      // finalizer (deletionPolicy Retain) deletes nothing itself.
      for (const object of [...cluster.objects.values()]) {
        if (object.kind === "Secret" && object.controller === old.objectName) {
          cluster.remove("Secret", object.name);
        }
      }
      cluster.pendingSyncs.delete(old.objectName);
      cluster.remove("ExternalSecret", old.objectName);
      return;
    }
    const secret = cluster.get("Secret", old.objectName);
    cluster.remove("Secret", old.objectName);
    // A Secret an ExternalSecret controls comes back when ESO next reconciles it.
    if (secret?.controller && cluster.get("ExternalSecret", secret.controller)) {
      cluster.pendingSyncs.add(secret.controller);
    }
  };

  try {
    for (const copy of next) {
      const candidates = [
        key(copy.type, copy.name),
        ...(copy.options.aliases ?? []).map((a) => key(a.type, a.name)),
      ];
      const oldKey = candidates.find((k) => olds.has(k) && !matched.has(k));
      if (!oldKey) {
        create(copy);
      } else {
        matched.add(oldKey);
        const old = olds.get(oldKey)!;
        const changed = changedPaths(old.inputs, copy.inputs);
        const replace =
          providerReplaces(copy, changed, settings) ||
          changed.some((p) =>
            (copy.options.replaceOnChanges ?? []).some((r) => pathContains(r, p)),
          );
        if (changed.length === 0) {
          steps.push(`same ${copy.name}`);
        } else if (!replace) {
          update(old, copy);
        } else {
          const sameName = old.objectName === copy.objectName;
          if (copy.options.deleteBeforeReplace ?? sameName) {
            remove(old);
            create(copy);
          } else {
            create(copy);
            remove(old);
          }
        }
      }
      state.push(copy);
    }
    for (const old of [...previous].reverse()) {
      if (!matched.has(key(old.type, old.name))) remove(old);
    }
  } catch (err) {
    return { steps, error: (err as Error).message, readyContent, staleReady, state };
  }
  return { steps, readyContent, staleReady, state };
}

/** Runs `runs` one after another from an empty cluster; stops at the first failed update. */
export function upAll(
  runs: readonly ProgramRun[],
  settings: UpSettings = {},
  options = copyOptions,
): { cluster: Cluster; results: UpResult[] } {
  const cluster = new Cluster();
  const results: UpResult[] = [];
  let state: Copy[] = [];
  for (const run of runs) {
    const result = up(state, copiesOf(run, options), cluster, settings);
    results.push(result);
    if (result.error) break;
    state = result.state;
  }
  return { cluster, results };
}

/**
 * The options the copies had before `copyOptions`: only the dev Secret's delete-before-replace
 * (`kubernetesCopyOptions`), no aliases, no replaceOnChanges.
 */
export function optionsBefore(delivery: Delivery, _role: string, versioned: boolean): CopyOptions {
  return delivery === "direct" ? kubernetesCopyOptions(versioned) : {};
}
