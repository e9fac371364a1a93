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
import { VERSIONS_ANNOTATION, parseVersionsAnnotation } from "./lifecycle/names";

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
  metadata?: { generation?: number };
  spec?: { template?: AppliedTemplate; jobTemplate?: { spec?: { template?: AppliedTemplate } } };
  status?: {
    observedGeneration?: number;
    conditions?: { type?: string; status?: string; reason?: string }[];
  };
}

interface AppliedTemplate {
  metadata?: { annotations?: Record<string, string> };
}

/**
 * Whether a Deployment's output state shows the rollout of its current generation complete, as
 * its await requires: the controller observed the generation, and `Progressing` is True with
 * reason `NewReplicaSetAvailable` (pulumi-kubernetes 94977969 provider/pkg/await/deployment.go
 * processDeploymentEvent). On success the provider returns the awaiter's last object
 * (await/await.go Update `return live`). When the await fails, `--continue-on-error` records
 * what the provider read back (provider/pkg/provider/provider.go Update: readLiveObject, then
 * partialError): a rollout still progressing, or past its deadline, which this refuses.
 */
export function rolloutComplete(workload: AppliedWorkload | undefined): boolean {
  const generation = workload?.metadata?.generation;
  const status = workload?.status;
  const observed = status?.observedGeneration;
  if (typeof generation !== "number" || typeof observed !== "number" || observed < generation) {
    return false;
  }
  return (status?.conditions ?? []).some(
    (c) => c.type === "Progressing" && c.status === "True" && c.reason === "NewReplicaSetAvailable",
  );
}

/**
 * What a workload's applied pod template runs (secret to version, from the annotation the
 * binding writes), or null when the engine did not apply it, it records no versions of ours,
 * or (`awaited`: a Deployment) its rollout was not the one the await accepted.
 */
export function runsOf(
  workload: AppliedWorkload | undefined,
  kind: "Deployment" | "CronJob" | "StatefulSet" | "DaemonSet",
): Record<string, string> | null {
  if (kind === "Deployment" && !rolloutComplete(workload)) return null;
  const template =
    kind === "CronJob" ? workload?.spec?.jobTemplate?.spec?.template : workload?.spec?.template;
  return parseVersionsAnnotation(template?.metadata?.annotations?.[VERSIONS_ANNOTATION]) ?? null;
}

/**
 * `runsOf` a workload or patch resource's output state; null when, in an update, it was not
 * applied. Only a Deployment's status is read: no other kind's rule needs it, and an output
 * the memory does not need would only make a preview's memory unknown for nothing.
 */
export function appliedRuns(
  resource: {
    metadata: pulumi.Output<unknown>;
    spec: pulumi.Output<unknown>;
    status?: pulumi.Output<unknown>;
  },
  kind: "Deployment" | "CronJob" | "StatefulSet" | "DaemonSet",
): pulumi.Output<Record<string, string> | null> {
  const status = kind === "Deployment" ? resource.status : undefined;
  const state = pulumi
    .all([resource.metadata, resource.spec, status])
    .apply(([metadata, spec, observed]) => ({ metadata, spec, status: observed }));
  return settled(
    state.apply((w) => runsOf(w, kind)),
    null,
  );
}
