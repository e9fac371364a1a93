/**
 * What a rollback costs in pods and waves, computed from declared Deployments and the
 * Kubernetes deployment controller's rolling-update rules. Pure: bench/rollback.ts prints it,
 * tests/rollbackBench.test.ts checks it.
 *
 * Upstream rules modelled (kubernetes/kubernetes, read at the commits the code index holds):
 * - pkg/controller/deployment/rolling.go (95f08499) rolloutRolling: each sync first tries
 *   reconcileNewReplicaSet (scale up, then return), then reconcileOldReplicaSets (scale down);
 * - pkg/controller/deployment/util/deployment_util.go (277391ee) NewRSNewReplicas: the new
 *   ReplicaSet grows to at most `replicas + maxSurge` pods in all ReplicaSets, never past
 *   `replicas`; ResolveFenceposts / MaxUnavailable: maxSurge rounds a percentage up,
 *   maxUnavailable rounds it down, both 0 makes maxUnavailable 1, maxUnavailable is capped at
 *   `replicas` and is 0 when `replicas` is 0;
 * - kubernetes/apimachinery pkg/util/intstr/intstr.go (eed236ce, after v1.36.0-alpha.2)
 *   GetScaledValueFromIntOrPercent: `math.Ceil` / `math.Floor` of `percent * total / 100`
 *   (newer deployment_util.go calls it; the older GetValueFromIntOrPercent rounds the same).
 * - FindNewReplicaSet matches the pod template (EqualIgnoreHash): a rollback reuses the old
 *   version's ReplicaSet, but that ReplicaSet was scaled to 0 by the earlier rollout, so every
 *   pod starts again. Only a Deployment whose template does not change starts no pod.
 */

/** A Deployment's rollout-relevant inputs, as the program declares them. */
export interface DeclaredDeployment {
  name: string;
  replicas: number;
  maxSurge: number | string;
  maxUnavailable: number | string;
  minReadySeconds: number;
  /** The pod template, compared as JSON: a change starts a rollout. */
  template: unknown;
}

/** What one Deployment's change costs. */
export interface RolloutCost {
  podsStarted: number;
  /** Times the rollout waits for a batch of new pods to become available. */
  waves: number;
  /** Lower bound of the waiting: each wave lasts at least minReadySeconds. */
  minSeconds: number;
}

/** intstr GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down. */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) throw new Error(`invalid value for IntOrString: ${JSON.stringify(value)}`);
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** deployment_util.go ResolveFenceposts plus MaxUnavailable's caps. */
export function fenceposts(
  d: Pick<DeclaredDeployment, "replicas" | "maxSurge" | "maxUnavailable">,
): { surge: number; unavailable: number } {
  const surge = scaledValue(d.maxSurge, d.replicas, true);
  let unavailable = scaledValue(d.maxUnavailable, d.replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  if (d.replicas === 0) unavailable = 0;
  return { surge, unavailable: Math.min(unavailable, d.replicas) };
}

/**
 * A rolling update to a new template at `replicas` pods, starting from the old ReplicaSet at
 * `oldReplicas` pods, all available, and the new one at 0. The controller syncs until nothing
 * moves; then the new pods created so far become available together (one wave). Old pods are
 * assumed to be gone as soon as they are scaled down.
 */
export function rollingUpdate(
  d: Pick<DeclaredDeployment, "replicas" | "maxSurge" | "maxUnavailable" | "minReadySeconds">,
  oldReplicas = d.replicas,
): RolloutCost {
  const desired = d.replicas;
  const { surge, unavailable } = fenceposts(d);
  const s = { newSpec: 0, newAvailable: 0, oldSpec: oldReplicas, oldAvailable: oldReplicas };
  let podsStarted = 0;
  let waves = 0;

  // rolling.go reconcileNewReplicaSet with deployment_util.go NewRSNewReplicas.
  const reconcileNew = (): boolean => {
    if (s.newSpec >= desired) return false;
    const all = s.newSpec + s.oldSpec;
    const maxTotal = desired + surge;
    if (all >= maxTotal) return false;
    const up = Math.min(maxTotal - all, desired - s.newSpec);
    s.newSpec += up;
    podsStarted += up;
    return up > 0;
  };
  // rolling.go reconcileOldReplicaSets and scaleDownOldReplicaSetsForRollingUpdate (old pods
  // are all available here, so cleanupUnhealthyReplicas removes none).
  const reconcileOld = (): boolean => {
    if (s.oldSpec === 0) return false;
    const minAvailable = desired - unavailable;
    const maxScaledDown = s.newSpec + s.oldSpec - minAvailable - (s.newSpec - s.newAvailable);
    if (maxScaledDown <= 0) return false;
    const available = s.newAvailable + s.oldAvailable;
    if (available <= minAvailable) return false;
    const down = Math.min(s.oldSpec, available - minAvailable);
    s.oldSpec -= down;
    s.oldAvailable -= down;
    return down > 0;
  };

  for (let guard = 0; guard <= 4 * (desired + oldReplicas) + 4; guard++) {
    // rolloutRolling: a sync that scaled up returns before looking at the old ReplicaSets.
    while (reconcileNew() || reconcileOld());
    if (s.newSpec === desired && s.newAvailable === desired && s.oldSpec === 0) {
      return { podsStarted, waves, minSeconds: waves * d.minReadySeconds };
    }
    if (s.newSpec === s.newAvailable) {
      throw new Error(`rollout of ${desired} replicas is stuck: ${JSON.stringify(s)}`);
    }
    s.newAvailable = s.newSpec;
    waves++;
  }
  throw new Error(`rollout of ${desired} replicas did not finish`);
}

/**
 * What changing the declared Deployments from `before` to `after` costs: a Deployment whose
 * template changes rolls (from its old replica count: from 0, NewRSNewReplicas starts every
 * pod at once); one whose template stays starts only the replicas it adds, in one wave; a new
 * one starts all its replicas in one wave.
 */
export function changeCost(
  before: readonly DeclaredDeployment[],
  after: readonly DeclaredDeployment[],
): RolloutCost {
  const total: RolloutCost = { podsStarted: 0, waves: 0, minSeconds: 0 };
  const add = (c: RolloutCost) => {
    total.podsStarted += c.podsStarted;
    total.waves += c.waves;
    total.minSeconds += c.minSeconds;
  };
  const previous = new Map(before.map((d) => [d.name, d]));
  for (const d of after) {
    const old = previous.get(d.name);
    const grow = (from: number): RolloutCost =>
      d.replicas > from
        ? { podsStarted: d.replicas - from, waves: 1, minSeconds: d.minReadySeconds }
        : { podsStarted: 0, waves: 0, minSeconds: 0 };
    if (old === undefined) add(grow(0));
    else if (JSON.stringify(old.template) === JSON.stringify(d.template)) add(grow(old.replicas));
    else add(rollingUpdate(d, old.replicas));
  }
  return total;
}
