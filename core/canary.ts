/**
 * How a canary splits a Deployment's replicas between the stable and the canary Deployment.
 * Pure. The total stays what the workload asks for, the canary gets at least one pod, and
 * below 100% the stable Deployment keeps at least one pod, so both tracks always serve.
 */

export interface CanarySplit {
  /** Pods of `<workload>-canary`, running the canary version. */
  canary: number;
  /** Pods of the stable Deployment, running the active version. */
  stable: number;
}

/**
 * Why `replicas` cannot be split at `percent`, or undefined when it can. A split needs a pod
 * for each track: one replica can only move whole (100%), zero replicas have nothing to test.
 */
export function canarySplitProblem(replicas: number, percent: number): string | undefined {
  if (replicas === 0) return "has 0 replicas: no pod would run the canary";
  if (replicas === 1 && percent < 100) {
    return "has 1 replica: a canary below 100% needs at least 2 (one pod per track); set replicas >= 2 or percent 100";
  }
  return undefined;
}

/**
 * `ceil(replicas × percent / 100)` pods for the canary, the rest for stable; below 100% the
 * stable Deployment keeps at least one pod (so a high percent of few replicas leaves one).
 * Throws for a split `canarySplitProblem` refuses (config validation reports it first).
 */
export function canarySplit(replicas: number, percent: number): CanarySplit {
  const problem = canarySplitProblem(replicas, percent);
  if (problem) throw new Error(`a Deployment that ${problem}`);
  // Integer arithmetic: replicas * percent is exact, so ceil never suffers a float error.
  const wanted = Math.ceil((replicas * percent) / 100);
  const canary = percent < 100 ? Math.min(wanted, replicas - 1) : replicas;
  return { canary, stable: replicas - canary };
}

/**
 * The linked secret whose canary a workload runs: only Deployments run canaries, and
 * validation allows one canaried secret per Deployment.
 */
export function canariedSecret<T extends { name: string; canary?: unknown }>(
  workload: { kind: string; secrets: readonly string[] },
  secrets: readonly T[],
): T | undefined {
  if (workload.kind !== "Deployment") return undefined;
  return secrets.find((s) => s.canary !== undefined && workload.secrets.includes(s.name));
}
