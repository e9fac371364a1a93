import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadSpec } from "../config/types";
import {
  SecretLink,
  linkedVersions,
  podTemplate,
  selectorLabels,
  workloadLabels,
} from "./podTemplate";

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

  constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secret-rotation:workloads:Workload", name, {}, opts);
    const { workload, namespace, links } = args;
    const metadata = {
      name: workload.name,
      namespace,
      labels: workloadLabels(workload.name),
      annotations: { [CHANGE_CAUSE]: `secret-rotation: ${linkedVersions(links)}` },
    };
    const template = podTemplate(workload, links);

    if (workload.kind === "Deployment") {
      const deployment = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        {
          metadata,
          spec: {
            replicas: workload.replicas,
            selector: { matchLabels: selectorLabels(workload.name) },
            strategy: { type: "RollingUpdate", rollingUpdate: workload.rollout },
            template,
          },
        },
        { parent: this },
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
              spec: { template },
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
    });
  }
}
