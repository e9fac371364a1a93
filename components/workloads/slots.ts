/**
 * Blue-green slots of a `Workload` (docs/blue-green.md): two Deployments, `<name>-blue` and
 * `<name>-green`, behind the workload's one Service, which selects the live slot's pods.
 *
 * The order of a switch (pulumi-kubernetes 94977969, tests/engineRulesBlueGreen.test.ts):
 * - the Service depends on the live slot's Deployment. A Service update is awaited as a
 *   create (provider/pkg/await/await.go `Update`), and that await succeeds even when the
 *   selector matches no ready pod (await/service.go `serviceInitAwaiter`: serviceReady and
 *   settled endpoints, not endpointsReady); the Deployment's await needs every replica of its
 *   new ReplicaSet ready (await/deployment.go `checkReplicaSetStatus`). So the selector moves
 *   only to pods that are ready, and a slot that cannot start fails `pulumi up` with the
 *   Service still on the slot that served;
 * - the other slot depends on the Service, so a scale to 0 of the slot that served runs only
 *   once the Service has moved away from it.
 * The Service's selector is an atomic map under server-side apply (k8s.io/api core/v1
 * `ServiceSpec.Selector`, `+mapType=atomic` since v0.22): an apply replaces it whole, so after
 * a switch it selects exactly the declared slot.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  CONTAINER_ANNOTATION,
  LABELS,
  type Slot,
  otherSlot,
  slotDeploymentName,
} from "../../core/names";
import { type ContainerArgs, containerDigest, ownedContainer, workloadLabels } from "./podTemplate";
import { type SecretLink, secretBinding } from "./secretBinding";

export { SLOTS, type Slot } from "../../core/names";

/** What one slot's Deployment runs. */
export interface SlotArgs {
  /** The slot's links, one per secret the workload consumes, in order. */
  links: readonly SecretLink[];
  /** Pods of the slot's Deployment: 0 keeps the Deployment (and its template) with no pods. */
  replicas: number;
  /**
   * The slot's container: a warm slot keeps the one it served with.
   * @default the workload's `container`
   */
  container?: ContainerArgs;
}

/** Two slots behind the Service: which one it selects and what each runs. */
export interface BlueGreenArgs {
  /** The slot the Service selects. */
  live: Slot;
  blue: SlotArgs;
  green: SlotArgs;
}

/** The labels that select one slot's pods: the app and the slot. */
export function slotSelector(workload: string, slot: Slot): Record<string, string> {
  return { [LABELS.app]: workload, [LABELS.slot]: slot };
}

/** The Deployment settings a slot shares with a rolling workload's Deployment. */
export interface SlotDeploymentSettings {
  namespace: pulumi.Input<string>;
  rollout: { maxUnavailable: number | string; maxSurge: number | string };
  minReadySeconds: number;
  progressDeadlineSeconds: number;
}

/** One slot's Deployment arguments (pure). */
export function slotDeploymentArgs(
  name: string,
  slot: Slot,
  run: SlotArgs & { container: ContainerArgs },
  settings: SlotDeploymentSettings,
): k8s.apps.v1.DeploymentArgs {
  const binding = secretBinding(run.links);
  return {
    metadata: {
      name: slotDeploymentName(name, slot),
      namespace: settings.namespace,
      labels: { ...workloadLabels(name), [LABELS.slot]: slot },
      annotations: {
        ...binding.annotations,
        [CONTAINER_ANNOTATION]: containerDigest(run.container),
      },
    },
    spec: {
      replicas: run.replicas,
      selector: { matchLabels: slotSelector(name, slot) },
      strategy: { type: "RollingUpdate", rollingUpdate: settings.rollout },
      minReadySeconds: settings.minReadySeconds,
      progressDeadlineSeconds: settings.progressDeadlineSeconds,
      template: {
        metadata: {
          labels: { ...workloadLabels(name), ...binding.podLabels, [LABELS.slot]: slot },
          annotations: binding.podAnnotations,
        },
        spec: { containers: [ownedContainer(name, run.container, binding)] },
      },
    },
  };
}

/** The Service of a blue-green workload: the app's pods in the live slot. */
export function slotServiceArgs(
  name: string,
  live: Slot,
  port: number,
  namespace: pulumi.Input<string>,
): k8s.core.v1.ServiceArgs {
  return {
    metadata: { name, namespace, labels: workloadLabels(name) },
    spec: {
      selector: slotSelector(name, live),
      ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }],
    },
  };
}

/** What each resource of a blue-green workload waits for (see the top of this file). */
export function switchOrder(live: Slot): {
  live: Slot;
  idle: Slot;
  waits: Record<Slot | "service", (Slot | "service")[]>;
} {
  const idle = otherSlot(live);
  return {
    live,
    idle,
    waits: { [live]: [], service: [live], [idle]: ["service"] } as Record<
      Slot | "service",
      (Slot | "service")[]
    >,
  };
}

/** The slots' declared resources. */
export interface DeclaredSlots {
  deployments: Record<Slot, k8s.apps.v1.Deployment>;
  service: k8s.core.v1.Service;
}

/**
 * Declares both slots and the Service, in the order a switch needs (see the top of this file).
 * The Service keeps the child name a rolling workload's Service has (`<name>-service`), so
 * changing a workload from rolling to blueGreen updates its selector in place: the Service is
 * never deleted, and the rolling Deployment is deleted only after the slots were created.
 */
export function declareSlots(
  parent: pulumi.Resource,
  name: string,
  args: BlueGreenArgs,
  container: ContainerArgs & { port: number },
  settings: SlotDeploymentSettings,
  customTimeouts: pulumi.CustomTimeouts,
): DeclaredSlots {
  const order = switchOrder(args.live);
  const declared = new Map<Slot | "service", pulumi.Resource>();
  const after = (role: Slot | "service") => order.waits[role].map((r) => declared.get(r)!);
  const declare = (slot: Slot) =>
    new k8s.apps.v1.Deployment(
      `${name}-${slot}`,
      slotDeploymentArgs(
        name,
        slot,
        { ...args[slot], container: args[slot].container ?? container },
        settings,
      ),
      { parent, customTimeouts, dependsOn: after(slot) },
    );
  const live = declare(order.live);
  declared.set(order.live, live);
  const service = new k8s.core.v1.Service(
    `${name}-service`,
    slotServiceArgs(name, args.live, container.port, settings.namespace),
    { parent, dependsOn: after("service") },
  );
  declared.set("service", service);
  const idle = declare(order.idle);
  return {
    deployments: { [order.live]: live, [order.idle]: idle } as Record<Slot, k8s.apps.v1.Deployment>,
    service,
  };
}
