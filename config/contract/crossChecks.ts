/**
 * The rules that span config sections: they read the parsed secrets and workloads together,
 * so they live here rather than in either section (which keeps the sections free of a cycle).
 */
import { canarySplitProblem } from "../../core/canary";
import { canaryWorkloadName } from "../../core/names";
import { type Problems, join, list } from "../../core/problems";
import type { SecretSpec } from "./secret";
import { type DeploymentSpec, type WorkloadSpec, isOwned } from "./workload";

/**
 * An empty secrets map declares nothing, and `pulumi up` deletes what is not declared: a typo
 * or a lost section must not read as "delete every version". Teardown is `pulumi destroy`.
 */
export function checkSecretsDeclared(
  p: Problems,
  environment: string,
  secretNames: ReadonlySet<string>,
): void {
  if (environment !== "dev" && secretNames.size === 0) {
    p.add(
      "secrets",
      `is empty: a ${environment} stack must declare at least one secret (with none, pulumi up would delete every version and workload this stack manages; to tear the stack down, run pulumi destroy)`,
    );
  }
}

/**
 * A canary needs a Deployment to split (CronJobs always run the active version), a replica
 * count that leaves a pod on each track, and one canary per Deployment at a time (two would
 * make a failure impossible to attribute).
 */
export function checkCanaries(
  p: Problems,
  secrets: readonly SecretSpec<unknown>[],
  workloads: readonly WorkloadSpec[],
  allWorkloads: readonly string[],
): void {
  // A workload that failed validation is not in `workloads`: the rules below still run on the
  // ones that parsed (every problem at once), but "no Deployment uses it" waits until all have,
  // since the failed one may be that Deployment.
  const allParsed = workloads.length === allWorkloads.length;
  for (const secret of secrets) {
    if (!secret.canary) continue;
    const path = join(join("secrets", secret.name), "canary");
    const linked = workloads.filter(
      (w): w is DeploymentSpec =>
        isOwned(w) && w.kind === "Deployment" && w.secrets.includes(secret.name),
    );
    if (linked.length === 0 && allParsed) {
      p.add(
        path,
        `no Deployment uses "${secret.name}", so no pod could run the canary (CronJobs always run the active version, and so do workloads with owner: external)`,
      );
    }
    for (const deployment of linked) {
      const problem = canarySplitProblem(deployment.replicas, secret.canary.percent);
      if (problem) p.add(join(path, "percent"), `workload "${deployment.name}" ${problem}`);
      const canaryName = canaryWorkloadName(deployment.name);
      if (allWorkloads.includes(canaryName)) {
        p.add(
          join("workloads", canaryName),
          `"${canaryName}" is the name of the canary Deployment of "${deployment.name}"; rename this workload`,
        );
      }
    }
  }
  for (const workload of workloads) {
    if (!isOwned(workload) || workload.kind !== "Deployment") continue;
    const canaried = workload.secrets.filter((s) => secrets.find((x) => x.name === s)?.canary);
    if (canaried.length > 1) {
      p.add(
        join(join("workloads", workload.name), "secrets"),
        `links ${list(canaried)}, which both run a canary; canary one secret of a Deployment at a time`,
      );
    }
  }
}
