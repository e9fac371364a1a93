import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type AppliedSlot, appliedRuns, appliedServiceSlot, appliedSlot } from "../outputState";
import { LABELS, canaryWorkloadName } from "../../core/names";
import { type ContainerArgs, podTemplate, selectorLabels, workloadLabels } from "./podTemplate";
import { type SecretLink, type Track, secretBinding } from "./secretBinding";
import { type BlueGreenArgs, SLOTS, type Slot, declareSlots } from "./slots";

/** Seconds a new pod must stay ready before it counts as available, unless set. */
export const DEFAULT_MIN_READY_SECONDS = 10;
/** Seconds without progress before a rollout fails, unless set. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** The rolling update, unless set: one pod more at a time, capacity never drops. */
export const DEFAULT_ROLLOUT = { maxUnavailable: 0, maxSurge: 1 } as const;

/** Seconds `pulumi up` allows past the progress deadline for the controller to report it. */
export const ROLLOUT_TIMEOUT_GRACE_SECONDS = 60;

/**
 * How long `pulumi up` waits for a Deployment to become ready. pulumi-kubernetes' Deployment
 * awaiter only logs `ProgressDeadlineExceeded` and crash-looping pods; it fails the update at
 * its timeout alone (provider/pkg/await/deployment.go), and `customTimeouts` override its
 * 10-minute default (provider/pkg/metadata/overrides.go, TimeoutDuration). So the timeout is
 * the Deployment's own deadline plus a minute for the controller to notice: a crashing
 * version fails `pulumi up` soon after `progressDeadlineSeconds`, not 20 minutes later.
 */
export function rolloutTimeoutSeconds(deployment: { progressDeadlineSeconds: number }): number {
  return deployment.progressDeadlineSeconds + ROLLOUT_TIMEOUT_GRACE_SECONDS;
}

/** The `customTimeouts` of a workload's Deployments (create and update wait for the rollout). */
export function deploymentTimeouts(deployment: { progressDeadlineSeconds: number }): {
  create: string;
  update: string;
} {
  const timeout = `${rolloutTimeoutSeconds(deployment)}s`;
  return { create: timeout, update: timeout };
}

/** A canary Deployment beside the stable one: its pods run one secret's version under test. */
export interface CanaryArgs {
  /** Pods of `<name>-canary` (at least 1); the stable Deployment takes `replicas`. */
  replicas: number;
  /**
   * The canary pods' links: the same secrets as `links`, in the same order, one of them at
   * the version under test.
   */
  links: readonly SecretLink[];
}

interface WorkloadArgsBase {
  /** The Kubernetes namespace (a namespace resource's name output will do). */
  namespace: pulumi.Input<string>;
  /** The container the workload runs; the links add the secret references to it. */
  container: ContainerArgs;
  /**
   * One link per secret the workload consumes, in order: the version it runs and that
   * version's Secret name (pass the Secret's name output, so the workload is updated only
   * once the Secret exists; `RotatedSecret.link(version)` builds one).
   * @default none
   */
  links?: readonly SecretLink[];
}

export interface DeploymentWorkloadArgs extends WorkloadArgsBase {
  kind: "Deployment";
  /**
   * Pods of the (stable) Deployment.
   * @default 1
   */
  replicas?: number;
  /**
   * The rolling update: capacity never drops by default.
   * @default { maxUnavailable: 0, maxSurge: 1 }
   */
  rollout?: { maxUnavailable: number | string; maxSurge: number | string };
  /**
   * Seconds a new pod must stay ready before it counts as available.
   * @default 10
   */
  minReadySeconds?: number;
  /**
   * Seconds without progress before the rollout fails (`pulumi up` waits a minute longer).
   * @default 600
   */
  progressDeadlineSeconds?: number;
  /**
   * The canary Deployment, while a canary runs.
   * @default none
   */
  canary?: CanaryArgs;
  /**
   * Two slots behind the Service instead of one Deployment (docs/blue-green.md): which slot
   * the Service selects and what each runs. Needs `container.port`; takes no `canary`, and
   * `links` and `replicas` are the slots' own.
   * @default none (one Deployment, rolled in place)
   */
  blueGreen?: BlueGreenArgs;
}

export interface CronJobWorkloadArgs extends WorkloadArgsBase {
  kind: "CronJob";
  /** The cron schedule, such as `0 3 * * 1`. */
  schedule: string;
}

export type WorkloadArgs = DeploymentWorkloadArgs | CronJobWorkloadArgs;

/** A canary the component can run: at least one pod, linking the same secrets in order. */
function checkCanary(name: string, args: WorkloadArgs): void {
  if (args.kind === "Deployment" && args.blueGreen) {
    const problem =
      args.container.port === undefined
        ? "blueGreen needs container.port: the Service switches between the slots"
        : args.canary
          ? "blueGreen takes no canary: its Service never mixes two versions"
          : undefined;
    if (problem) throw new Error(`workload ${name}: ${problem}`);
  }
  if (args.kind !== "Deployment" || !args.canary) return;
  const links = (args.links ?? []).map((l) => l.secret).join(",");
  const problem =
    args.canary.replicas < 1
      ? "a canary needs at least 1 replica"
      : args.canary.links.map((l) => l.secret).join(",") !== links
        ? "the canary's links must name the same secrets as links, in order"
        : undefined;
  if (problem) throw new Error(`workload ${name}: ${problem}`);
}

/**
 * A Deployment (with a Service when its container has a port) or a CronJob whose container
 * reads each linked secret's version through `envFrom`. Changing a link changes the pod
 * template, so a rotation or a rollback is an ordinary rolling update that `pulumi up` waits
 * for. `name` is the workload's Kubernetes name and its children's prefix.
 */
export class Workload extends pulumi.ComponentResource {
  /** The Kubernetes Secret names the workload references, in link order. */
  public readonly secretNames: pulumi.Output<string[]>;
  /** The Kubernetes name of the Deployment or CronJob. */
  public readonly workloadName: pulumi.Output<string>;
  /** The Service name, when the workload has a port. */
  public readonly serviceName?: pulumi.Output<string>;
  /** The canary Deployment's name, while a canary runs. */
  public readonly canaryName?: pulumi.Output<string>;
  /**
   * What the applied pod template runs (secret to version), read from the Deployment's or
   * CronJob's output state; null when the engine did not apply it. The memory records an
   * activation from this.
   */
  public readonly runs: pulumi.Output<Record<string, string> | null>;
  /** What the canary Deployment's applied pod template runs, while a canary runs. */
  public readonly canaryRuns?: pulumi.Output<Record<string, string> | null>;
  /** blueGreen: what each slot's applied Deployment runs, with its container and size. */
  public readonly slots?: Record<Slot, pulumi.Output<AppliedSlot | null>>;
  /** blueGreen: the slot the applied Service selects; null when not applied. */
  public readonly liveSlot?: pulumi.Output<string | null>;

  constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    // Refuse bad arguments before the component registers, so nothing is declared.
    checkCanary(name, args);
    super("secret-rotation:workloads:Workload", name, {}, opts);
    const { namespace, container } = args;
    const links = args.links ?? [];

    if (args.kind === "Deployment") {
      const progressDeadlineSeconds =
        args.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
      const deploymentArgs = (
        track: Track,
        replicas: number,
        trackLinks: readonly SecretLink[],
      ): k8s.apps.v1.DeploymentArgs => {
        const binding = secretBinding(trackLinks, track);
        return {
          metadata: {
            name: track === "canary" ? canaryWorkloadName(name) : name,
            namespace,
            labels: { ...workloadLabels(name), [LABELS.track]: track },
            annotations: binding.annotations,
          },
          spec: {
            replicas,
            selector: { matchLabels: selectorLabels(name, track) },
            strategy: {
              type: "RollingUpdate",
              rollingUpdate: args.rollout ?? DEFAULT_ROLLOUT,
            },
            minReadySeconds: args.minReadySeconds ?? DEFAULT_MIN_READY_SECONDS,
            progressDeadlineSeconds,
            template: podTemplate(name, "Deployment", container, binding),
          },
        };
      };
      const customTimeouts = deploymentTimeouts({ progressDeadlineSeconds });

      if (args.blueGreen) {
        const { blueGreen } = args;
        const declared = declareSlots(
          this,
          name,
          blueGreen,
          { ...container, port: container.port! },
          {
            namespace,
            rollout: args.rollout ?? DEFAULT_ROLLOUT,
            minReadySeconds: args.minReadySeconds ?? DEFAULT_MIN_READY_SECONDS,
            progressDeadlineSeconds,
          },
          customTimeouts,
        );
        const live = declared.deployments[blueGreen.live];
        this.workloadName = live.metadata.name;
        this.runs = appliedRuns(live, "Deployment");
        this.slots = Object.fromEntries(
          SLOTS.map((slot) => [slot, appliedSlot(declared.deployments[slot])]),
        ) as Record<Slot, pulumi.Output<AppliedSlot | null>>;
        this.serviceName = declared.service.metadata.name;
        this.liveSlot = appliedServiceSlot(declared.service);
        this.secretNames = pulumi.output(
          blueGreen[blueGreen.live].links.map((l) => l.kubernetesName),
        );
        this.registerOutputs({
          secretNames: this.secretNames,
          workloadName: this.workloadName,
          serviceName: this.serviceName,
        });
        return;
      }

      let canary: k8s.apps.v1.Deployment | undefined;
      if (args.canary) {
        canary = new k8s.apps.v1.Deployment(
          `${name}-canary`,
          deploymentArgs("canary", args.canary.replicas, args.canary.links),
          { parent: this, customTimeouts },
        );
        this.canaryName = canary.metadata.name;
        this.canaryRuns = appliedRuns(canary, "Deployment");
      }
      // The stable Deployment keeps its name, selector and identity whether or not a canary
      // runs. It waits for the canary to be ready before giving up replicas, so capacity never
      // drops, and a canary that cannot start fails `pulumi up` with stable still at full size.
      const deployment = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        deploymentArgs("stable", args.replicas ?? 1, links),
        { parent: this, customTimeouts, ...(canary && { dependsOn: [canary] }) },
      );
      this.workloadName = deployment.metadata.name;
      this.runs = appliedRuns(deployment, "Deployment");
      if (container.port !== undefined) {
        const service = new k8s.core.v1.Service(
          `${name}-service`,
          {
            metadata: { name, namespace, labels: workloadLabels(name) },
            spec: {
              selector: selectorLabels(name),
              ports: [{ name: "http", port: container.port, targetPort: "http", protocol: "TCP" }],
            },
          },
          { parent: this },
        );
        this.serviceName = service.metadata.name;
      }
    } else {
      const binding = secretBinding(links);
      const cronJob = new k8s.batch.v1.CronJob(
        `${name}-cronjob`,
        {
          metadata: {
            name,
            namespace,
            labels: workloadLabels(name),
            annotations: binding.annotations,
          },
          spec: {
            schedule: args.schedule,
            jobTemplate: {
              metadata: { labels: workloadLabels(name) },
              spec: { template: podTemplate(name, "CronJob", container, binding) },
            },
          },
        },
        { parent: this },
      );
      this.workloadName = cronJob.metadata.name;
      this.runs = appliedRuns(cronJob, "CronJob");
    }
    this.secretNames = pulumi.output(links.map((l) => l.kubernetesName));

    this.registerOutputs({
      secretNames: this.secretNames,
      workloadName: this.workloadName,
      serviceName: this.serviceName,
      canaryName: this.canaryName,
    });
  }
}
