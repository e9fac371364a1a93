/**
 * How long a linked workload's patch waits for the rollout it starts. A patch waits like the
 * workload itself, for `customTimeouts` or else 10 minutes (pulumi-kubernetes after v4.32.0 at
 * 94977969, provider/pkg/await/await.go Creation/Update, metadata/overrides.go
 * TimeoutDuration); a Deployment's is bounded by its own progress deadline plus a minute, as
 * the program's own Deployments are (workload.ts deploymentTimeouts). Kubernetes master at
 * 000f2605 for the Deployment defaults.
 */
import type { ExternalKind } from "../../config/contract/workload";
import { deploymentTimeouts } from "../../components/workloads/workload";
import { field } from "./liveObject";

/** The progress deadline Kubernetes gives a Deployment that sets none (apps/v1 SetDefaults_Deployment). */
export const DEFAULT_LIVE_PROGRESS_DEADLINE_SECONDS = 600;
/**
 * A progress deadline of MaxInt32 means "no deadline" to the Deployment controller
 * (pkg/controller/deployment/util HasProgressDeadline); the wait then falls back to the
 * default deadline rather than to 68 years.
 */
export const NO_PROGRESS_DEADLINE = 2147483647;

/** A patch's `customTimeouts`: how long `pulumi up` waits for the rollout it starts. */
export interface PatchTimeouts {
  create: string;
  update: string;
}

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
