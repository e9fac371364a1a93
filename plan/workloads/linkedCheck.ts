/**
 * The check of each linked workload (`owner: external`) against its live object, before its
 * patch is declared. Pure: the preflight reads the objects (the live cluster, or the offline
 * plan's `--cluster` file), this decides.
 *
 * Why each rule (sources read, pulumi-kubernetes after v4.32.0 at 94977969, Kubernetes master
 * at 000f2605):
 * - A missing object. A `*Patch` resource is a server-side apply (provider/pkg/await/await.go
 *   Creation), and an apply creates what does not exist: the API server then refuses the
 *   half-object ("spec.selector: Required value"). Deleting a patch relinquishes its fields by
 *   applying an empty object of the same identity (await.go Deletion → provider/pkg/ssa/actions.go
 *   Relinquish), which fails the same way once the workload is gone.
 * - A variable the workload already sets. Apply merges the env entry by name (listType map):
 *   a literal `value` would stay beside the patch's `valueFrom`, another source
 *   (`configMapKeyRef`, `fieldRef`, ...) beside its `secretKeyRef`; the API server refuses both
 *   (pkg/apis/core/validation/validation.go validateEnvVarValueFrom: "may not be specified when
 *   `value` is not empty", "may not have more than one field specified at a time"). A
 *   `secretKeyRef` another field manager set is a conflict. None of this shows in a preview of
 *   the first link: with no live state the preview forces (await.go patchForce).
 * - The wait. A patch waits for the workload's rollout like the workload itself, for
 *   `customTimeouts` or else 10 minutes (await.go Creation/Update, metadata/overrides.go
 *   TimeoutDuration); a Deployment's is bounded by its own progress deadline plus a minute,
 *   as the program's own Deployments are (workload.ts deploymentTimeouts).
 * - `updateStrategy: OnDelete`. A DaemonSet's await succeeds only once kstatus says Current,
 *   that is once every pod runs the new template (await/daemonset.go rolloutComplete), which
 *   with OnDelete happens only when someone deletes the pods: the patch always times out. A
 *   StatefulSet's await with OnDelete succeeds as soon as the old pods are ready
 *   (await/statefulset.go processStatefulSetEvent), so `pulumi up` would report a rotation that
 *   no pod runs. Both are refused rather than skipping the await.
 */
import { dict } from "../../core/dict";
import { EXTERNAL_KINDS, type ExternalKind, isOwned } from "../../config/contract/workload";
import type { WorkloadSpec } from "../../config/types";
import type { GuardRead } from "../guard/guard";
import { type LinkTarget, type LiveWorkloads, targetText } from "./linkTarget";
import type { ConfigProblem } from "../../core/problems";
import { PROJECT } from "../../core/project";
import { FIELD_MANAGER } from "../../components/workloads/linkedWorkload";
import { deploymentTimeouts } from "../../components/workloads/workload";

/** The progress deadline Kubernetes gives a Deployment that sets none (apps/v1 SetDefaults_Deployment). */
export const DEFAULT_LIVE_PROGRESS_DEADLINE_SECONDS = 600;
/**
 * A progress deadline of MaxInt32 means "no deadline" to the Deployment controller
 * (pkg/controller/deployment/util HasProgressDeadline); the wait then falls back to the
 * default deadline rather than to 68 years.
 */
export const NO_PROGRESS_DEADLINE = 2147483647;

/** The component type and the patch resource type of each kind, for a patch's URN. */
export const LINKED_WORKLOAD_TYPE = "secret-rotation:workloads:LinkedWorkload";
export const PATCH_TYPES: Record<ExternalKind, string> = {
  Deployment: "kubernetes:apps/v1:DeploymentPatch",
  StatefulSet: "kubernetes:apps/v1:StatefulSetPatch",
  DaemonSet: "kubernetes:apps/v1:DaemonSetPatch",
  CronJob: "kubernetes:batch/v1:CronJobPatch",
};

/** A patch's `customTimeouts`: how long `pulumi up` waits for the rollout it starts. */
export interface PatchTimeouts {
  create: string;
  update: string;
}

type Loose = Record<string, unknown>;
const field = (o: unknown, key: string): unknown =>
  typeof o === "object" && o !== null ? (o as Loose)[key] : undefined;
const items = (o: unknown, key: string): unknown[] => {
  const v = field(o, key);
  return Array.isArray(v) ? v : [];
};
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * How long a patch of `kind` waits, from its live object: a Deployment's progress deadline
 * (600 s when unset or disabled) plus a minute; undefined for the other kinds, whose wait
 * stays the provider's: StatefulSets and DaemonSets have no progress deadline to bound it by,
 * and a CronJob has no await at all (await/awaiters.go lists none for batch/v1 CronJob).
 */
export function patchTimeouts(kind: ExternalKind, live: unknown): PatchTimeouts | undefined {
  if (kind !== "Deployment") return undefined;
  const deadline = field(field(live, "spec"), "progressDeadlineSeconds");
  const progressDeadlineSeconds =
    typeof deadline === "number" &&
    Number.isInteger(deadline) &&
    deadline > 0 &&
    deadline !== NO_PROGRESS_DEADLINE
      ? deadline
      : DEFAULT_LIVE_PROGRESS_DEADLINE_SECONDS;
  return deploymentTimeouts({ progressDeadlineSeconds });
}

/** A workload the previous update linked, as its `workloads` output recorded it. */
interface PreviousLink extends LinkTarget {
  secretNames: readonly string[];
}

/** The linked workloads of the previous update's `workloads` output (anything else ignored). */
export function previousLinks(previousWorkloads: unknown): PreviousLink[] {
  if (typeof previousWorkloads !== "object" || previousWorkloads === null) return [];
  return Object.entries(previousWorkloads as Loose).flatMap(([name, w]) => {
    const kind = field(w, "kind");
    const namespace = text(field(w, "namespace"));
    if (field(w, "owner") !== "external" || namespace === undefined) return [];
    if (!(EXTERNAL_KINDS as readonly unknown[]).includes(kind)) return [];
    const secretNames = items(w, "secretNames").filter((s): s is string => typeof s === "string");
    return [{ kind: kind as ExternalKind, namespace, name, secretNames }];
  });
}

/**
 * What the preflight reads: every linked workload of the config, and every one the previous
 * update linked that this update stops linking (its patch is deleted: the relinquish needs the
 * object to exist). Empty when the stack links nothing, now or before.
 */
export function linkTargets(
  workloads: readonly WorkloadSpec[],
  previousWorkloads: unknown,
): LinkTarget[] {
  const current = workloads.flatMap((w): LinkTarget[] =>
    isOwned(w) ? [] : [{ kind: w.kind, namespace: w.namespace, name: w.name }],
  );
  const seen = new Set(current.map(targetText));
  const removed = previousLinks(previousWorkloads)
    .map(({ kind, namespace, name }) => ({ kind, namespace, name }))
    .filter((t) => !seen.has(targetText(t)));
  return [...current, ...removed];
}

/** The URN of a linked workload's patch, for `pulumi state delete`. */
export function patchUrn(stack: string, target: LinkTarget): string {
  return `urn:pulumi:${stack}::${PROJECT}::${LINKED_WORKLOAD_TYPE}$${PATCH_TYPES[target.kind]}::${target.name}-link`;
}

/** The pod spec of a workload of `kind`. */
function podSpec(kind: ExternalKind, live: unknown): unknown {
  const spec = field(live, "spec");
  const template =
    kind === "CronJob"
      ? field(field(field(spec, "jobTemplate"), "spec"), "template")
      : field(spec, "template");
  return field(template, "spec");
}

/** The managedFields path from the object to its pod spec's `containers` (fieldsV1 format). */
function containersPath(kind: ExternalKind): string[] {
  const template =
    kind === "CronJob"
      ? ["f:spec", "f:jobTemplate", "f:spec", "f:template"]
      : ["f:spec", "f:template"];
  return [...template, "f:spec", "f:containers"];
}

/** The child of a fieldsV1 list node whose key (`k:{"name":"api"}`) has `name`. */
function keyedChild(node: unknown, name: string): unknown {
  if (typeof node !== "object" || node === null) return undefined;
  for (const [k, child] of Object.entries(node as Loose)) {
    if (!k.startsWith("k:")) continue;
    try {
      if ((JSON.parse(k.slice(2)) as { name?: unknown }).name === name) return child;
    } catch {
      // Not a key this check reads.
    }
  }
  return undefined;
}

/** A field manager that owns the value of an env entry. */
interface Owner {
  manager: string;
  operation: string;
}

/**
 * Who owns the value (`value` or `valueFrom`) of `variable` in `container`, from the object's
 * managedFields; `recorded` is false when the object carries none (an offline file written
 * without `--show-managed-fields`).
 */
function valueOwners(
  kind: ExternalKind,
  live: unknown,
  container: string,
  variable: string,
): { recorded: boolean; owners: Owner[] } {
  const entries = items(field(live, "metadata"), "managedFields");
  const owners: Owner[] = [];
  for (const entry of entries) {
    let node: unknown = field(entry, "fieldsV1");
    for (const step of containersPath(kind)) node = field(node, step);
    const env = keyedChild(field(keyedChild(node, container), "f:env"), variable);
    if (field(env, "f:value") !== undefined || field(env, "f:valueFrom") !== undefined) {
      owners.push({
        manager: text(field(entry, "manager")) ?? "(unnamed)",
        operation: text(field(entry, "operation")) ?? "",
      });
    }
  }
  return { recorded: entries.length > 0, owners };
}

const isOurs = (o: Owner) => o.manager === FIELD_MANAGER && o.operation === "Apply";

/** The source an env entry reads from, in words. */
function sourceText(valueFrom: unknown): string {
  const sources = Object.keys(typeof valueFrom === "object" && valueFrom !== null ? valueFrom : {});
  return sources.length > 0
    ? `valueFrom.${sources.join(", valueFrom.")}`
    : "a valueFrom this client cannot read";
}

/**
 * Why the patch cannot set `variable` in `container`, or undefined when it can: the variable
 * is unset, or set by this program's own patch (its field manager owns it, or, when the object
 * records no managed fields, it is the reference the previous update declared).
 */
export function variableProblem(
  kind: ExternalKind,
  live: unknown,
  container: string,
  variable: string,
  previouslyLinked: readonly string[],
): string | undefined {
  const containers = items(podSpec(kind, live), "containers");
  const c = containers.find((x) => field(x, "name") === container);
  const entry = items(c, "env").find((e) => field(e, "name") === variable);
  if (entry === undefined) return undefined;
  const value = field(entry, "value");
  const valueFrom = field(entry, "valueFrom");
  const fix = `remove ${variable} from the workload's own manifest (its chart's values), or link a secret without the key ${variable}`;
  if (typeof value === "string" && value !== "") {
    return `already sets ${variable} with a literal value; the patch would add valueFrom beside it, which the API server refuses (value and valueFrom are exclusive): ${fix}`;
  }
  const ref = field(valueFrom, "secretKeyRef");
  const others = (owners: Owner[]) =>
    [...new Set(owners.filter((o) => !isOurs(o)).map((o) => `"${o.manager}"`))].join(", ");
  const { recorded, owners } = valueOwners(kind, live, container, variable);
  if (valueFrom !== undefined && valueFrom !== null && ref === undefined) {
    return `already sets ${variable} from ${sourceText(valueFrom)}; the patch's secretKeyRef would sit beside it, which the API server refuses (one source per variable): ${fix}`;
  }
  if (valueFrom === undefined || valueFrom === null) {
    // Declared without a value (an empty `value` is not stored): no conflict unless a manager
    // owns the empty value.
    const by = others(owners);
    return by
      ? `already declares ${variable}, owned by field manager ${by}: the patch would conflict with it: ${fix}`
      : undefined;
  }
  const by = others(owners);
  const target = `secretKeyRef ${text(field(ref, "name")) ?? "?"}/${text(field(ref, "key")) ?? "?"}`;
  if (by) {
    return `already sets ${variable} from ${target}, owned by field manager ${by}: the patch would conflict with it: ${fix}`;
  }
  if (owners.some(isOurs)) return undefined;
  // No managed fields say who set it: it is ours only if it is what the previous update linked.
  const name = text(field(ref, "name"));
  if (
    !recorded &&
    name !== undefined &&
    previouslyLinked.includes(name) &&
    field(ref, "key") === variable
  ) {
    return undefined;
  }
  return `already sets ${variable} from ${target}, and nothing shows that ${FIELD_MANAGER} set it${recorded ? "" : " (no managedFields recorded: write the --cluster file with --show-managed-fields)"}: ${fix}`;
}

export interface LinkedCheckInput {
  stack: string;
  /** The config's workloads; only the linked ones are checked. */
  workloads: readonly WorkloadSpec[];
  /** Each secret's keys (every version of a secret has the same keys). */
  secretKeys: ReadonlyMap<string, readonly string[]>;
  /** The previous update's `workloads` output (undefined on a first update or in dev). */
  previousWorkloads: unknown;
  /** The preflight's read of the targets; undefined when the stack links nothing. */
  read: GuardRead<LiveWorkloads> | undefined;
  /** `pulumi preview`: an unreadable cluster warns instead of refusing. */
  preview: boolean;
}

export interface LinkedOutcome {
  problems: ConfigProblem[];
  warnings: string[];
  /** Per linked workload, its patch's `customTimeouts` (absent: the provider's default). */
  timeouts: Readonly<Record<string, PatchTimeouts | undefined>>;
}

/** Decides every linked workload from its live object. */
export function checkLinked(input: LinkedCheckInput): LinkedOutcome {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const timeouts = dict<PatchTimeouts | undefined>();
  const linked = input.workloads.flatMap((w) => (isOwned(w) ? [] : [w]));
  const previous = previousLinks(input.previousWorkloads);
  const targets = linkTargets(input.workloads, input.previousWorkloads);
  const current = new Set(linked.map((w) => targetText(w)));
  const read = input.read;

  if (!read || targets.length === 0) {
    for (const w of linked) timeouts[w.name] = patchTimeouts(w.kind, undefined);
    return { problems, warnings, timeouts };
  }
  if (read.status !== "read") {
    const reason =
      read.status === "unavailable" || read.status === "unchecked" ? read.reason : read.status;
    const names = targets.map(targetText).join(", ");
    for (const w of linked) timeouts[w.name] = patchTimeouts(w.kind, undefined);
    if (read.status === "unavailable" && !input.preview) {
      for (const t of targets) {
        problems.push({
          path: `workloads.${t.name}`,
          message: `${targetText(t)} could not be read from the cluster (${reason}); a linked workload is patched only after its live object is checked (README: "Linking workloads it does not own"). Give the program read access to it (get ${t.kind.toLowerCase()}s in ${t.namespace}) with the Kubernetes provider's settings`,
        });
      }
    } else {
      warnings.push(
        read.status === "unavailable"
          ? `linked workloads not checked: the cluster could not be read (${reason}); pulumi up refuses to patch ${names} until it can read them`
          : `linked workloads not checked against the cluster (${reason}): ${names}`,
      );
    }
    return { problems, warnings, timeouts };
  }

  for (const w of linked) {
    const live = read.value.get(targetText(w));
    const path = `workloads.${w.name}`;
    if (live === null || live === undefined) {
      problems.push({
        path,
        message: `${targetText(w)} does not exist: server-side apply would create it from the patch alone, and the API server refuses such an object. Deploy the workload first, or correct its name, kind or namespace`,
      });
      continue;
    }
    timeouts[w.name] = patchTimeouts(w.kind, live);
    const strategy = text(field(field(field(live, "spec"), "updateStrategy"), "type"));
    if (strategy === "OnDelete" && (w.kind === "DaemonSet" || w.kind === "StatefulSet")) {
      problems.push({
        path: `${path}.kind`,
        message:
          w.kind === "DaemonSet"
            ? `${targetText(w)} has updateStrategy OnDelete: its pods take a new template only when someone deletes them, and pulumi up waits until every pod runs it, so the patch would always time out. Switch it to RollingUpdate, or do not link it`
            : `${targetText(w)} has updateStrategy OnDelete: its pods take a new template only when someone deletes them, yet pulumi up reports the rollout done at once, so a rotation would look applied while every pod runs the previous version. Switch it to RollingUpdate, or do not link it`,
      });
    }
    // A StatefulSet's rollout with a partition never completes: the controller moves
    // currentRevision to updateRevision only once every replica is updated (kubernetes
    // pkg/controller/statefulset/stateful_set_control.go completeRollingUpdate), which the
    // provider's await waits for (await/statefulset.go).
    const partition = field(
      field(field(field(live, "spec"), "updateStrategy"), "rollingUpdate"),
      "partition",
    );
    if (w.kind === "StatefulSet" && typeof partition === "number" && partition > 0) {
      problems.push({
        path: `${path}.kind`,
        message: `${targetText(w)} has updateStrategy.rollingUpdate.partition ${partition}: pods below the partition never take a new template, and pulumi up waits until every pod runs it, so the patch would always time out. Set the partition to 0, or do not link it`,
      });
    }
    // "No deadline" removes the Progressing condition, which the Deployment await waits for.
    if (
      w.kind === "Deployment" &&
      field(field(live, "spec"), "progressDeadlineSeconds") === NO_PROGRESS_DEADLINE
    ) {
      problems.push({
        path: `${path}.kind`,
        message: `${targetText(w)} has progressDeadlineSeconds ${NO_PROGRESS_DEADLINE} (no deadline): Kubernetes then reports no rollout progress, and pulumi up waits for it, so the patch would always time out. Give it a deadline, or do not link it`,
      });
    }
    const containers = items(podSpec(w.kind, live), "containers")
      .map((c) => text(field(c, "name")))
      .filter((n): n is string => n !== undefined);
    const variables = w.secrets.flatMap((s) => input.secretKeys.get(s) ?? []);
    const previouslyLinked =
      previous.find((p) => targetText(p) === targetText(w))?.secretNames ?? [];
    w.containers.forEach((container, i) => {
      const at = `${path}.containers[${i}]`;
      if (!containers.includes(container)) {
        problems.push({
          path: at,
          message: `"${container}" is not a container of ${targetText(w)}; its containers: ${containers.join(", ") || "none"}`,
        });
        return;
      }
      for (const variable of variables) {
        const problem = variableProblem(w.kind, live, container, variable, previouslyLinked);
        if (problem) {
          problems.push({
            path: at,
            message: `container "${container}" of ${targetText(w)} ${problem}`,
          });
        }
      }
    });
  }

  for (const t of targets) {
    if (current.has(targetText(t)) || read.value.get(targetText(t)) !== null) continue;
    problems.push({
      path: `workloads.${t.name}`,
      message: `the previous update linked ${targetText(t)}, which no longer exists; removing the link deletes its patch, and the provider's relinquish would apply an empty ${t.kind} and fail with "Required value". Drop the patch from the state first: pulumi state delete '${patchUrn(input.stack, t)}' --stack ${input.stack}, then run pulumi up again`,
    });
  }
  return { problems, warnings, timeouts };
}
