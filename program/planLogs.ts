/**
 * What the update logs about each secret's plan: the version it runs, the deliveries versions
 * keep, and what this update prunes or finds already pruned. Pure: the lines are part of the
 * plan, and the program prints them before it declares anything.
 */
import { otherSlot } from "../core/names";
import { join } from "../core/problems";
import type { StackSpec } from "../config/types";
import { type SecretPlan, declaredDeliveries } from "../plan/lifecycle/plan";
import type { LogLine } from "../plan/promotion/stagingGate";
import type { WorkloadPlan } from "../plan/lifecycle/workloadPlan";

export function planLogs(config: StackSpec<unknown>, plans: readonly SecretPlan[]): LogLine[] {
  const logs: LogLine[] = [];
  const info = (message: string) => logs.push({ level: "info", message });
  const warn = (message: string) => logs.push({ level: "warn", message });
  config.secrets.forEach((secret, i) => {
    const plan = plans[i];
    info(
      `${secret.name}: active version ${plan.activeVersion} (${plan.activeName})` +
        (plan.previousVersion
          ? `, rollback target ${plan.previousVersion}`
          : ", no rollback target") +
        (secret.canary ? `, canary ${secret.canary.version} at ${secret.canary.percent}%` : ""),
    );
    const kept = declaredDeliveries(plan).filter((v) => v.delivery !== plan.delivery);
    if (kept.length > 0) {
      info(
        `${secret.name}: ${kept.map((v) => v.version).join(", ")} keep${kept.length === 1 ? "s" : ""} ${kept[0].delivery} delivery (a version keeps the delivery it was created with); new versions use ${plan.delivery}`,
      );
    }
    if (plan.overdue) warn(overdueWarning(secret.name, plan.activeVersion, plan.overdue));
    for (const version of plan.expired) {
      warn(
        `${secret.name}: version ${version.version} expired on ${version.expiresAt} (retention ${secret.retentionDays} days) and is pruned; ` +
          `remove it from secret-rotation:${join(join("secrets", secret.name), "versions")}`,
      );
    }
    for (const version of plan.removed) {
      warn(
        `${secret.name}: version ${version} is no longer listed in secret-rotation:${join(join("secrets", secret.name), "versions")}, so this update deletes it; it is remembered as pruned and cannot be listed again`,
      );
    }
    for (const version of plan.pruned) {
      warn(
        `${secret.name}: version ${version.version} was pruned by the update of ${version.prunedAt} and is not declared again; ` +
          `remove it from secret-rotation:${join(join("secrets", secret.name), "versions")}`,
      );
    }
  });
  return logs;
}

/**
 * An overdue active version (plan/lifecycle/maxAge.ts): a warning only, the update goes on.
 * It names the runbook steps that rotate it (the README's rotation runbook, by way of its page).
 */
function overdueWarning(
  secret: string,
  version: string,
  o: NonNullable<SecretPlan["overdue"]>,
): string {
  const since =
    o.from === "activation"
      ? "its first activation"
      : "the time in its id: no memory of its activation";
  return (
    `${secret}: active version ${version} is overdue: it has run more than its maxAgeDays of ${o.maxAgeDays} ` +
    `(${(o.ageTenths / 10).toFixed(1)} days since ${o.since}, ${since}; overdue since ${o.dueAt}). ` +
    `Rotate it with the rotation runbook: step 1, create a version ahead; step 3, promote it (docs/max-age.md#rotating-an-overdue-version). ` +
    `This update is not blocked and changes nothing because of it`
  );
}

/** What the update logs about each blue-green workload's slots: the switch it makes, if any. */
export function slotLogs(workloads: readonly WorkloadPlan[]): LogLine[] {
  return workloads.flatMap((w): LogLine[] => {
    const s = w.slots;
    if (!s) return [];
    const other = otherSlot(s.live);
    // The image is named when the slots' containers differ: a roll may change it alone.
    const images = s.slots.blue.digest !== s.slots.green.digest;
    const runs = (slot: "blue" | "green") =>
      [
        ...s.slots[slot].links.map((l) => `${l.secret} ${l.version}`),
        ...(images ? [`image ${s.slots[slot].container.image}`] : []),
      ].join(", ") || "no secret";
    const warm = s.warm
      ? `; ${s.warm.slot} stays warm on ${runs(s.warm.slot)} until ${s.warm.until.toISOString()}`
      : `; ${other} runs ${s.slots[other].replicas} pods`;
    const message =
      s.change === "instant"
        ? `${w.name}: instant switch to ${s.live}, which kept its pods on ${runs(s.live)}: its pod template does not change${warm}`
        : s.change === "roll"
          ? `${w.name}: ${s.live} is brought to ${runs(s.live)} at ${s.slots[s.live].replicas} replicas and awaited, then the Service switches to it from ${other}${warm}`
          : `${w.name}: the Service selects ${s.live} (${runs(s.live)})${warm}`;
    return [{ level: "info", message }];
  });
}
