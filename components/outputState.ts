/**
 * Reading what the engine applied from a resource's output state, for the memory
 * (`lifecycle/record.ts`).
 *
 * In an update, a create skipped by `--target` completes with no ID and no outputs (pulumi
 * v3.248.0 pkg/resource/deploy/step.go NewSkippedCreateStep): its `id` is unknown
 * (runtime/resource.ts resolveID) and its other properties resolve as known `undefined`
 * (runtime/rpc.ts resolveProperties). So what the memory reads either includes the `id`
 * (RotatedSecret `applied`) or treats a missing template as not applied (`runsOf`); an unknown
 * (SKIP or FAIL results with missing properties) reads as not applied. An unknown in a stack
 * output is not dropped: it is serialized as the
 * unknown sentinel (rpc.ts serializeProperty, `if (!isKnown) return unknownValue`) and the
 * checkpoint would keep that string in place of the memory. So in an update, an unknown reads
 * as "not applied". In a preview, unknowns are ordinary (what an update will compute) and stay
 * unknown: a preview records nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  CONTAINER_ANNOTATION,
  LABELS,
  VERSIONS_ANNOTATION,
  parseVersionsAnnotation,
} from "../core/names";

/**
 * The members of the SDK's OutputImpl that tell a known value from an unknown one
 * (sdk/nodejs/output.ts OutputImpl: `isKnown`, `promise(withUnknowns)`; marked internal, so
 * absent from the type declarations, and pinned by an engine-rules test).
 */
interface OutputState<T> {
  isKnown: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<T>;
}

/**
 * `value` when its resources were applied; `ifUnknown` when, in an update, it is unknown. A
 * failed resource's rejection passes through, so whatever depends on it never resolves.
 */
export function settled<T>(value: pulumi.Output<T>, ifUnknown: T): pulumi.Output<T> {
  if (pulumi.runtime.isDryRun()) return value;
  const state = value as unknown as Partial<OutputState<T>>;
  if (!(state.isKnown instanceof Promise) || typeof state.promise !== "function") {
    // Fail closed: without a way to tell, nothing is recorded (the old memory stands).
    throw new Error(
      "@pulumi/pulumi's Output no longer exposes isKnown/promise: the memory cannot tell what was applied",
    );
  }
  const output = state as OutputState<T>;
  // Plain data (no nested Output): unwrapping changes nothing, so the cast is exact.
  return pulumi.output(
    output.isKnown.then((known) => (known ? output.promise() : ifUnknown)),
  ) as pulumi.Output<T>;
}

/** The parts of an applied workload the memory reads. */
export interface AppliedWorkload {
  metadata?: { generation?: number; annotations?: Record<string, string> };
  spec?: {
    replicas?: number;
    template?: AppliedTemplate;
    jobTemplate?: { spec?: { template?: AppliedTemplate } };
  };
  status?: {
    observedGeneration?: number;
    conditions?: { type?: string; status?: string; reason?: string }[];
    /** StatefulSet. */
    readyReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    /** DaemonSet. */
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

interface AppliedTemplate {
  metadata?: { annotations?: Record<string, string> };
}

/**
 * Whether a workload's output state shows the rollout of its current generation complete, as
 * its await requires: the controller observed the generation, and for a Deployment
 * `Available` is True and (after its first revision) `Progressing` is True with reason
 * `NewReplicaSetAvailable` (pulumi-kubernetes 94977969 provider/pkg/await/deployment.go
 * processDeploymentEvent, checkAndLogStatus). On success the provider returns the awaiter's last object
 * (await/await.go Update `return live`). When the await fails, `--continue-on-error` records
 * what the provider read back (provider/pkg/provider/provider.go Update: readLiveObject, then
 * partialError): a rollout still progressing, or past its deadline, which this refuses.
 */
export function rolloutComplete(
  workload: AppliedWorkload | undefined,
  kind: "Deployment" | "StatefulSet" | "DaemonSet" = "Deployment",
): boolean {
  const generation = workload?.metadata?.generation;
  const status = workload?.status;
  const observed = status?.observedGeneration;
  if (typeof generation !== "number" || typeof observed !== "number" || observed < generation) {
    return false;
  }
  if (kind === "StatefulSet") {
    // await/statefulset.go: updateRevision matches currentRevision, and the replicas are ready.
    return (
      status?.updateRevision !== undefined &&
      status.updateRevision === status.currentRevision &&
      (status.readyReplicas ?? 0) >= (workload?.spec?.replicas ?? 1)
    );
  }
  if (kind === "DaemonSet") {
    // await/daemonset.go rolloutComplete: kstatus Current (cli-utils daemonsetConditions):
    // every scheduled pod updated and available.
    const desired = status?.desiredNumberScheduled ?? 0;
    return (
      (status?.updatedNumberScheduled ?? 0) >= desired && (status?.numberAvailable ?? 0) >= desired
    );
  }
  // await/deployment.go checkAndLogStatus: `Available` True always; `Progressing` with
  // NewReplicaSetAvailable too, except at revision "1" (a create), where the controller may set
  // Available before every replica is (with maxUnavailable >= 1).
  const condition = (type: string) =>
    (status?.conditions ?? []).find((c) => c.type === type && c.status === "True");
  if (!condition("Available")) return false;
  if (workload?.metadata?.annotations?.[DEPLOYMENT_REVISION] === "1") return true;
  return condition("Progressing")?.reason === "NewReplicaSetAvailable";
}

/** The Deployment's revision (pulumi-kubernetes await/deployment.go `revision`). */
const DEPLOYMENT_REVISION = "deployment.kubernetes.io/revision";

/**
 * What a workload's applied pod template runs (secret to version, from the annotation the
 * binding writes), or null when the engine did not apply it, it records no versions of ours,
 * or (all but a CronJob, which has no rollout) its rollout is not complete.
 */
export function runsOf(
  workload: AppliedWorkload | undefined,
  kind: "Deployment" | "CronJob" | "StatefulSet" | "DaemonSet",
): Record<string, string> | null {
  if (kind !== "CronJob" && !rolloutComplete(workload, kind)) return null;
  const template =
    kind === "CronJob" ? workload?.spec?.jobTemplate?.spec?.template : workload?.spec?.template;
  return parseVersionsAnnotation(template?.metadata?.annotations?.[VERSIONS_ANNOTATION]) ?? null;
}

/**
 * `runsOf` a workload or patch resource's output state; null when, in an update, it was not
 * applied. A CronJob's status is not read: it has no rollout, and an output the memory does
 * not need would only make a preview's memory unknown for nothing.
 */
export function appliedRuns(
  resource: {
    metadata: pulumi.Output<unknown>;
    spec: pulumi.Output<unknown>;
    status?: pulumi.Output<unknown>;
  },
  kind: "Deployment" | "CronJob" | "StatefulSet" | "DaemonSet",
): pulumi.Output<Record<string, string> | null> {
  const status = kind === "CronJob" ? undefined : resource.status;
  const state = pulumi
    .all([resource.metadata, resource.spec, status])
    .apply(([metadata, spec, observed]) => ({ metadata, spec, status: observed }));
  return settled(
    state.apply((w) => runsOf(w, kind)),
    null,
  );
}

/** What a blue-green slot's applied Deployment shows: its runs, container digest and size. */
export interface AppliedSlot {
  runs: Record<string, string>;
  container: string | null;
  replicas: number;
}

/**
 * `runsOf` a slot's Deployment, with the container digest it was applied with and its
 * replicas; null when, in an update, it was not applied or its rollout is not complete.
 */
export function appliedSlot(resource: {
  metadata: pulumi.Output<unknown>;
  spec: pulumi.Output<unknown>;
  status: pulumi.Output<unknown>;
}): pulumi.Output<AppliedSlot | null> {
  const state = pulumi
    .all([resource.metadata, resource.spec, resource.status])
    .apply(([metadata, spec, status]) => ({ metadata, spec, status }));
  return settled(
    state.apply((w: AppliedWorkload) => {
      const runs = runsOf(w, "Deployment");
      if (runs === null) return null;
      return {
        runs,
        container: w.metadata?.annotations?.[CONTAINER_ANNOTATION] ?? null,
        replicas: w.spec?.replicas ?? 1,
      };
    }),
    null,
  );
}

/**
 * The slot a blue-green Service's applied selector names, or null when, in an update, it was
 * not applied: the memory records a switch only once the Service shows it.
 */
export function appliedServiceSlot(service: {
  spec: pulumi.Output<unknown>;
}): pulumi.Output<string | null> {
  return settled(
    service.spec.apply((spec) => {
      const selector = (spec as { selector?: Record<string, string> } | undefined)?.selector;
      return selector?.[LABELS.slot] ?? null;
    }),
    null,
  );
}
