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
 * - A variable the workload already sets: `linkedVariables.ts`.
 * - The wait: `patchTimeouts.ts`.
 * - `updateStrategy: OnDelete`. A DaemonSet's await succeeds only once kstatus says Current,
 *   that is once every pod runs the new template (await/daemonset.go rolloutComplete), which
 *   with OnDelete happens only when someone deletes the pods: the patch always times out. A
 *   StatefulSet's await with OnDelete succeeds as soon as the old pods are ready
 *   (await/statefulset.go processStatefulSetEvent), so `pulumi up` would report a rotation that
 *   no pod runs. Both are refused rather than skipping the await.
 */
import { EXTERNAL_KINDS, type ExternalKind, isOwned } from "../../config/contract/workload";
import type { WorkloadSpec } from "../../config/types";
import type { GuardRead } from "../guard/guard";
import { type LinkTarget, type LiveWorkloads, targetText } from "./linkTarget";
import type { ConfigProblem } from "../../core/problems";
import { PROJECT } from "../../core/project";
import { dict } from "../../core/dict";
import { type Loose, field, items, podSpec, text } from "./liveObject";
import { variableProblem } from "./linkedVariables";
import { NO_PROGRESS_DEADLINE, type PatchTimeouts, patchTimeouts } from "./patchTimeouts";

/** The component type and the patch resource type of each kind, for a patch's URN. */
export const LINKED_WORKLOAD_TYPE = "secret-rotation:workloads:LinkedWorkload";
export const PATCH_TYPES: Record<ExternalKind, string> = {
  Deployment: "kubernetes:apps/v1:DeploymentPatch",
  StatefulSet: "kubernetes:apps/v1:StatefulSetPatch",
  DaemonSet: "kubernetes:apps/v1:DaemonSetPatch",
  CronJob: "kubernetes:batch/v1:CronJobPatch",
};

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
          message: `${targetText(t)} could not be read from the cluster (${reason}); a linked workload is patched only after its live object is checked (docs/linked-workloads.md#checked-against-the-live-object-first). Give the program read access to it (get ${t.kind.toLowerCase()}s in ${t.namespace}) with the Kubernetes provider's settings`,
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
