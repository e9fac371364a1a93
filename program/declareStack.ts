/**
 * The declaration: from the validated config and the update's one plan (planStack.ts), print
 * the plan's log lines, declare the components and return the stack outputs. Nothing here
 * decides or reads the outside world.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../config/types";
import { type OwnedWorkloadSpec, isOwned } from "../config/contract/workload";
import { declaredDeliveries } from "../plan/lifecycle/plan";
import type { LinkPlan, WorkloadPlan } from "../plan/lifecycle/workloadPlan";
import { RotationAlarm } from "../components/monitoring/rotationAlarm";
import { AwsSecretStore } from "../components/delivery/awsSecretStore";
import { externalSecretCopy } from "../components/delivery/externalSecretCopy";
import { kubernetesSecretCopy } from "../components/secrets/kubernetesCopy";
import { RotatedSecret } from "../components/secrets/rotatedSecret";
import type { CopyVersion } from "../components/secrets/versionCopy";
import type { SecretLink } from "../components/workloads/secretBinding";
import { LinkedWorkload } from "../components/workloads/linkedWorkload";
import { Workload, type WorkloadArgs } from "../components/workloads/workload";
import { recordedMemory } from "./memoryOutput";
import type { StackPlan } from "./planStack";

/** A workload's component arguments: its validated config and its plan. */
function workloadArgs(
  workload: OwnedWorkloadSpec,
  plan: WorkloadPlan,
  namespace: string,
  bound: (links: readonly LinkPlan[]) => SecretLink[],
): WorkloadArgs {
  const container = {
    image: workload.image,
    ...(workload.command && { command: workload.command }),
    ...(workload.args && { args: workload.args }),
    env: workload.env,
    ...(workload.resources && { resources: workload.resources }),
    ...(workload.kind === "Deployment" && workload.port !== undefined && { port: workload.port }),
  };
  const links = bound(plan.links);
  if (workload.kind === "CronJob") {
    return { kind: "CronJob", namespace, container, links, schedule: workload.schedule };
  }
  return {
    kind: "Deployment",
    namespace,
    container,
    links,
    replicas: plan.replicas,
    rollout: workload.rollout,
    minReadySeconds: workload.minReadySeconds,
    progressDeadlineSeconds: workload.progressDeadlineSeconds,
    ...(plan.canary && {
      canary: { replicas: plan.canary.replicas, links: bound(plan.canary.links) },
    }),
  };
}

/** Declares the whole stack from its plan and returns its outputs. */
export function declareStack(
  config: StackSpec<pulumi.Output<string>>,
  update: StackPlan,
): Record<string, unknown> {
  const { secrets: plans, guard, workloads: workloadPlans, links } = update;
  for (const line of update.logs) void pulumi.log[line.level](line.message);

  // The store first: every ExternalSecret waits for it.
  const eso = config.externalSecrets;
  const store =
    eso?.store &&
    new AwsSecretStore(eso.storeRef.name, {
      store: eso.store,
      namespace: config.namespace,
      timeoutSeconds: eso.readyTimeoutSeconds,
    });
  const copies: Record<string, CopyVersion | undefined> = {
    direct: kubernetesSecretCopy,
    externalSecrets:
      eso &&
      externalSecretCopy({
        storeRef: eso.storeRef,
        timeoutSeconds: eso.readyTimeoutSeconds,
        ...(store && { store: store.resource }),
      }),
  };

  // Each secret's versions whose resources exist after this update, in config order, each
  // with the copy of its own delivery.
  const declared = config.secrets.map((secret, i) => {
    const deliveries = new Map(declaredDeliveries(plans[i]).map((v) => [v.version, v.delivery]));
    return secret.versions
      .filter((v) => deliveries.has(v.id))
      .map((v) => ({ ...v, copy: copies[deliveries.get(v.id)!] }));
  });
  const rotated = new Map<string, RotatedSecret>();
  const alarms: RotationAlarm[] = [];
  config.secrets.forEach((secret, i) => {
    const plan = plans[i];
    rotated.set(
      secret.name,
      new RotatedSecret(secret.name, {
        environment: config.environment,
        namespace: config.namespace,
        versions: declared[i],
        activeVersion: secret.active,
        generate: secret.generate,
        versioned: config.versioned,
        awsRecoveryWindowDays: config.awsRecoveryWindowDays,
        awsKmsKeyId: config.awsKmsKeyId,
      }),
    );
    if (secret.monitor) {
      const alarm = new RotationAlarm(secret.name, {
        stack: config.stack,
        environment: config.environment,
        secret: secret.name,
        activeVersion: plan.activeVersion,
        previousVersion: plan.previousVersion,
        canary: secret.canary,
        monitor: secret.monitor,
      });
      alarms.push(alarm);
    }
  });

  // A link names its version's Secret through the Secret's output, so a workload waits for it.
  const bound = (links: readonly LinkPlan[]): SecretLink[] =>
    links.map((l) => {
      const kubernetesName = rotated.get(l.secret)?.kubernetesNames[l.version];
      if (!kubernetesName) {
        // planWorkload links only declared versions of declared secrets: a bug if reached.
        throw new Error(`a workload links ${l.secret} ${l.version}, which is not declared`);
      }
      return { secret: l.secret, version: l.version, kubernetesName };
    });
  const keys = new Map(plans.map((p) => [p.name, p.keys]));
  const workloads = config.workloads.map((workload, i) => {
    if (isOwned(workload)) {
      return new Workload(
        workload.name,
        workloadArgs(workload, workloadPlans[i], config.namespace, bound),
      );
    }
    return new LinkedWorkload(workload.name, {
      kind: workload.kind,
      namespace: workload.namespace,
      containers: workload.containers,
      links: bound(workloadPlans[i].links).map((l) => ({ ...l, keys: keys.get(l.secret) ?? [] })),
      timeouts: links.timeouts[workload.name],
    });
  });

  const memory = recordedMemory(update, rotated, workloads, [
    ...alarms.map((a) => a.alarmArn),
    ...(store ? [store.storeName] : []),
    ...workloads.flatMap((w) => (w instanceof Workload && w.serviceName ? [w.serviceName] : [])),
  ]);

  return {
    /**
     * Per secret: active, previous and canary version, key names, every version's state and
     * history. Resolves once the update applied what it records.
     */
    secrets: memory.apply((m) => m.secrets),
    /** Per workload: its kind, the Secret names (and versions) it references, its canary. */
    workloads: memory.apply((m) => m.workloads),
    /** The staging gate's verdict on every active and canary version, or null without one. */
    promotion: update.promotion,
    /** The reference guard: what it read, what it asked about and kept; null in dev. */
    guard: guard?.report ?? null,
    /** How new versions reach the cluster by default, and through which ESO store. */
    delivery: {
      mode: config.delivery,
      storeRef: eso ? { kind: eso.storeRef.kind, name: eso.storeRef.name } : null,
      storeDeclared: Boolean(store),
      ...(eso && { readyTimeoutSeconds: eso.readyTimeoutSeconds }),
    },
    /** The environment and namespace the stack wrote to. */
    environment: config.environment,
    namespace: config.namespace,
    /**
     * Digests of each declared version's values (secret): the next update refuses a version
     * whose values changed. Empty in dev, where the one Secret is updated in place.
     */
    versionFingerprints: pulumi.secret(memory.apply((m) => m.versionFingerprints)),
  };
}
