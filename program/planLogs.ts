/**
 * What the update logs about each secret's plan: the version it runs, the deliveries versions
 * keep, and what this update prunes or finds already pruned. Pure: the lines are part of the
 * plan, and the program prints them before it declares anything.
 */
import { join } from "../core/problems";
import type { StackSpec } from "../config/types";
import { type SecretPlan, declaredDeliveries } from "../plan/lifecycle/plan";
import type { LogLine } from "../plan/promotion/stagingGate";

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
