/**
 * What a workload runs: the version of each linked secret, and, while a canary runs, how its
 * replicas split between the stable and the canary Deployment. Pure and computed once, so the
 * `Workload` component and the `workloads` output read the same decision.
 */
import { canariedSecret, canarySplit } from "../../core/canary";
import { canaryWorkloadName } from "../../core/names";
import type { SecretPlan } from "./plan";
import type { SlotsPlan } from "../workloads/slotPlan";

/** One linked secret: the version a set of pods runs, and its Kubernetes Secret. */
export interface LinkPlan {
  secret: string;
  version: string;
  kubernetesName: string;
}

export interface CanaryPlan {
  /** The Kubernetes name of the canary Deployment, `<workload>-canary`. */
  name: string;
  /** The secret under test, and the version the canary pods run. */
  secret: string;
  version: string;
  percent: number;
  /** Pods of the canary Deployment. */
  replicas: number;
  /** The links of the canary pods: the tested version, the active version of the others. */
  links: LinkPlan[];
}

export interface WorkloadPlan {
  name: string;
  kind: "Deployment" | "CronJob" | "StatefulSet" | "DaemonSet";
  /** Declared elsewhere and only linked (`owner: external`): its namespace. No canary. */
  external?: { namespace: string };
  /** The active version of each linked secret, in the workload's `secrets` order. */
  links: LinkPlan[];
  /** Deployments: the pods of the stable Deployment (all of them unless a canary runs). */
  replicas?: number;
  /** The canary rollout, while one runs (Deployments only). */
  canary?: CanaryPlan;
  /** `strategy: blueGreen`: what each slot runs; `links` are the live slot's. */
  slots?: SlotsPlan;
}

/** The workload as planning needs it: what validation guarantees of every workload. */
export interface WorkloadPlanInput {
  name: string;
  kind: "Deployment" | "CronJob" | "StatefulSet" | "DaemonSet";
  /** Set for a workload declared elsewhere: it runs the active versions only. */
  owner?: "external";
  namespace?: string;
  /** Linked secret names, in config order. */
  secrets: readonly string[];
  /** Deployments: the replicas asked for. */
  replicas?: number;
}

/** Plans one workload from the plans of the secrets it links. */
export function planWorkload(
  workload: WorkloadPlanInput,
  plans: readonly SecretPlan[],
): WorkloadPlan {
  const linked = workload.secrets.map((secret) => {
    const plan = plans.find((p) => p.name === secret);
    if (!plan) throw new Error(`workload ${workload.name} links ${secret}, which has no plan`);
    return plan;
  });
  const links = linked.map((p) => ({
    secret: p.name,
    version: p.activeVersion,
    kubernetesName: p.activeName,
  }));
  // A linked workload is someone else's: there is no second copy to canary, so it runs active.
  const tested = workload.owner ? undefined : canariedSecret(workload, linked);
  const split =
    tested?.canary && workload.replicas !== undefined
      ? canarySplit(workload.replicas, tested.canary.percent)
      : undefined;
  return {
    name: workload.name,
    kind: workload.kind,
    ...(workload.owner && { external: { namespace: workload.namespace ?? "" } }),
    links,
    ...(workload.replicas !== undefined && {
      replicas: split ? split.stable : workload.replicas,
    }),
    ...(tested?.canary &&
      split && {
        canary: {
          name: canaryWorkloadName(workload.name),
          secret: tested.name,
          version: tested.canary.version,
          percent: tested.canary.percent,
          replicas: split.canary,
          links: links.map((l) =>
            l.secret === tested.name
              ? {
                  ...l,
                  version: tested.canary!.version,
                  kubernetesName: tested.canary!.kubernetesName,
                }
              : l,
          ),
        },
      }),
  };
}
