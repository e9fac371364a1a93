import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadSpec } from "../config/types";
import { canarySplit, canarySplitProblem } from "../lifecycle/canary";
import { LABELS, canaryWorkloadName } from "../lifecycle/names";
import {
  SecretLink,
  Track,
  linkedVersions,
  podTemplate,
  selectorLabels,
  workloadLabels,
} from "./podTemplate";

/** A canary rollout of one linked secret: some pods run `version` instead of the active one. */
export interface CanaryLink extends SecretLink {
  /** Share of the replicas that run the canary, 1 to 100. */
  percent: number;
}

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

/** A canary the component can run: on a Deployment, of a linked secret, with a pod per track. */
function checkCanary({ workload, links, canary }: WorkloadArgs): void {
  if (!canary) return;
  const problem =
    workload.kind !== "Deployment"
      ? "a canary needs a Deployment (CronJobs run the active version)"
      : !links.some((l) => l.secret === canary.secret)
        ? `the canary's secret ${canary.secret} is not linked`
        : canarySplitProblem(workload.replicas, canary.percent);
  if (problem) throw new Error(`workload ${workload.name}: ${problem}`);
}

export interface WorkloadArgs {
  /** The validated workload: kind, image, replicas or schedule, and its optional fields. */
  workload: WorkloadSpec;
  /** The Kubernetes namespace. */
  namespace: string;
  /**
   * One link per secret the workload consumes, in the order of its `secrets` list: the
   * version it runs and that version's Secret name (pass the Secret's name output, so the
   * workload is updated only once the Secret exists).
   */
  links: readonly SecretLink[];
  /**
   * The canary of one linked secret (Deployments only): adds `<workload>-canary`, whose pods
   * run this version, and gives the stable Deployment the rest of the replicas. Default: none.
   */
  canary?: CanaryLink;
}

/** Records which versions a revision ran; `kubectl rollout history` shows it per revision. */
const CHANGE_CAUSE = "kubernetes.io/change-cause";

/**
 * A Deployment (with a Service when it has a port) or a CronJob whose containers read each
 * linked secret's version through `envFrom`. Changing a link changes the pod template, so a
 * rotation or a rollback is an ordinary rolling update that `pulumi up` waits for.
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

  constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    // Refuse bad arguments before the component registers, so nothing is declared.
    checkCanary(args);
    super("secret-rotation:workloads:Workload", name, {}, opts);
    const { workload, namespace, links } = args;
    const metadata = {
      name: workload.name,
      namespace,
      labels: workloadLabels(workload.name),
      annotations: { [CHANGE_CAUSE]: `secret-rotation: ${linkedVersions(links)}` },
    };

    if (workload.kind === "Deployment") {
      const split = args.canary ? canarySplit(workload.replicas, args.canary.percent) : undefined;
      const deploymentArgs = (
        track: Track,
        replicas: number,
        trackLinks: readonly SecretLink[],
      ): k8s.apps.v1.DeploymentArgs => ({
        metadata: {
          ...metadata,
          name: track === "canary" ? canaryWorkloadName(workload.name) : workload.name,
          labels: { ...workloadLabels(workload.name), [LABELS.track]: track },
          annotations: { [CHANGE_CAUSE]: `secret-rotation: ${linkedVersions(trackLinks)}` },
        },
        spec: {
          replicas,
          selector: { matchLabels: selectorLabels(workload.name, track) },
          strategy: { type: "RollingUpdate", rollingUpdate: workload.rollout },
          minReadySeconds: workload.minReadySeconds,
          progressDeadlineSeconds: workload.progressDeadlineSeconds,
          template: podTemplate(workload, trackLinks, track),
        },
      });
      const customTimeouts = deploymentTimeouts(workload);

      let canary: k8s.apps.v1.Deployment | undefined;
      if (args.canary && split) {
        const tested = args.canary;
        const canaryLinks = links.map((l) => (l.secret === tested.secret ? tested : l));
        canary = new k8s.apps.v1.Deployment(
          `${name}-canary`,
          deploymentArgs("canary", split.canary, canaryLinks),
          { parent: this, customTimeouts },
        );
        this.canaryName = canary.metadata.name;
      }
      // The stable Deployment keeps its name, selector and identity whether or not a canary
      // runs. It waits for the canary to be ready before giving up replicas, so capacity never
      // drops, and a canary that cannot start fails `pulumi up` with stable still at full size.
      const deployment = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        deploymentArgs("stable", split ? split.stable : workload.replicas, links),
        { parent: this, customTimeouts, ...(canary && { dependsOn: [canary] }) },
      );
      this.workloadName = deployment.metadata.name;
      if (workload.port !== undefined) {
        const service = new k8s.core.v1.Service(
          `${name}-service`,
          {
            metadata: { name: workload.name, namespace, labels: workloadLabels(workload.name) },
            spec: {
              selector: selectorLabels(workload.name),
              ports: [{ name: "http", port: workload.port, targetPort: "http", protocol: "TCP" }],
            },
          },
          { parent: this },
        );
        this.serviceName = service.metadata.name;
      }
    } else {
      const cronJob = new k8s.batch.v1.CronJob(
        `${name}-cronjob`,
        {
          metadata,
          spec: {
            schedule: workload.schedule,
            jobTemplate: {
              metadata: { labels: workloadLabels(workload.name) },
              spec: { template: podTemplate(workload, links) },
            },
          },
        },
        { parent: this },
      );
      this.workloadName = cronJob.metadata.name;
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
