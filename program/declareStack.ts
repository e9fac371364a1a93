/**
 * The declaration: from the validated config and the update's one plan (planStack.ts), print
 * the plan's log lines, declare the components and return the stack outputs. Nothing here
 * decides or reads the outside world.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../config/types";
import { isOwned } from "../config/contract/workload";
import { declaredDeliveries } from "../plan/lifecycle/plan";
import { RotationAlarm } from "../components/monitoring/rotationAlarm";
import { AwsSecretStore } from "../components/delivery/awsSecretStore";
import { RotatedSecret } from "../components/secrets/rotatedSecret";
import { LinkedWorkload } from "../components/workloads/linkedWorkload";
import { Workload } from "../components/workloads/workload";
import { recordedMemory } from "./memoryOutput";
import type { StackPlan } from "./planStack";
import {
  boundLinks,
  linkedWorkloadArgs,
  rotatedSecretArgs,
  rotationAlarmArgs,
  secretDeliveries,
  workloadArgs,
} from "./componentArgs";

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
  const deliveries = secretDeliveries(eso, store);

  // Each secret's versions whose resources exist after this update, in config order, each
  // with its own delivery.
  const declared = config.secrets.map((secret, i) => {
    const kinds = new Map(declaredDeliveries(plans[i]).map((v) => [v.version, v.delivery]));
    return secret.versions
      .filter((v) => kinds.has(v.id))
      .map((v) => ({ ...v, delivery: deliveries[kinds.get(v.id)!] }));
  });
  const rotated = new Map<string, RotatedSecret>();
  const alarms: RotationAlarm[] = [];
  config.secrets.forEach((secret, i) => {
    const plan = plans[i];
    rotated.set(
      secret.name,
      new RotatedSecret(secret.name, rotatedSecretArgs(config, secret, declared[i])),
    );
    if (secret.monitor) {
      alarms.push(
        new RotationAlarm(
          secret.name,
          rotationAlarmArgs(config, secret, secret.monitor, plan, workloadPlans),
        ),
      );
    }
  });

  const bound = boundLinks(rotated);
  const keys = new Map(plans.map((p) => [p.name, p.keys]));
  const workloads = config.workloads.map((workload, i) => {
    if (isOwned(workload)) {
      return new Workload(
        workload.name,
        workloadArgs(workload, workloadPlans[i], config.namespace, bound),
      );
    }
    const linked = bound(workloadPlans[i].links);
    return new LinkedWorkload(workload.name, linkedWorkloadArgs(workload, linked, keys, links));
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
    /**
     * Per secret and version: the pods and workloads that referenced it when the reference
     * guard read the cluster in this update; null when it did not read it.
     */
    inventory: update.inventory,
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
