/**
 * The offline plan (`scripts/plan.ts`) as text: the stack's delivery, each secret's versions,
 * the workloads, the staging gate's verdict, what the reference guard read and kept, the
 * resource counts and the program's log. Kept apart from the CLI so tests render a run directly.
 */
import { otherSlot } from "../core/names";
import type { GuardReport } from "../plan/guard/guard";
import type { SecretOutput, WorkloadOutput } from "../plan/lifecycle/outputs";
import type { Slot, StoredSlots } from "../plan/lifecycle/storedSlots";
import type { PromotionReport } from "../plan/promotion/stagingGate";
import { AWS_COMMAND, CLUSTER_COMMAND, type ProgramRun, countByType } from "../offline";

/** Left-aligned columns, two spaces apart. */
function table(rows: string[][], indent: string): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
  );
}

/** The plan as text: secrets, workloads, resource counts, then the program's log lines. */
export function renderPlan(stack: string, at: Date, run: ProgramRun): string {
  const secrets = run.outputs.secrets as Record<string, SecretOutput>;
  const workloads = run.outputs.workloads as Record<string, WorkloadOutput>;
  const lines = [
    `Plan for stack ${stack} (environment ${String(run.outputs.environment)}, namespace ${String(run.outputs.namespace)}) at ${at.toISOString()}`,
    renderDelivery(run.outputs.delivery as DeliveryOutput),
    "",
    "Secrets",
  ];
  for (const [name, s] of Object.entries(secrets)) {
    lines.push(
      `  ${name}: active ${s.activeVersion} (${s.activeName}), rollback target ${s.previousVersion ?? "none"}` +
        (s.canary ? `, canary ${s.canary.version} at ${s.canary.percent}%` : "") +
        `, delivery ${s.delivery}`,
    );
    const rows = [["VERSION", "STATE", "DELIVERY", "KUBERNETES SECRET", "AWS SECRET", "EXPIRES"]];
    for (const v of s.versions) {
      const expires = v.expiresAt ? v.expiresAt.slice(0, 16).replace("T", " ") : "-";
      rows.push([
        v.version,
        v.state === "expired"
          ? "expired (pruned now)"
          : v.state === "referenced"
            ? `referenced (kept: ${(v.referencedBy ?? []).join(", ")})`
            : v.overdue
              ? `${v.state} (overdue: ${v.overdue.ageDays} days, maxAgeDays ${v.overdue.maxAgeDays})`
              : v.state,
        // An ExternalSecret of the same name makes ESO write the Secret.
        v.delivery === "externalSecrets" ? "ExternalSecret" : "Secret",
        v.kubernetesName,
        v.awsName,
        expires,
      ]);
    }
    lines.push(...table(rows, "    "));
  }
  lines.push("", "Workloads");
  const workloadRows = [["WORKLOAD", "KIND", "PODS", "REFERENCES"]];
  for (const [name, w] of Object.entries(workloads)) {
    const pods = w.replicas === undefined ? "-" : String(w.replicas);
    if (w.slots) workloadRows.push(...slotRows(name, w.slots));
    else workloadRows.push([name, w.kind, pods, w.secretNames.join(", ") || "-"]);
    if (w.canary) {
      const c = w.canary;
      workloadRows.push([
        c.name,
        `Deployment (canary ${c.percent}% of ${c.secret})`,
        String(c.replicas),
        c.secretNames.join(", "),
      ]);
    }
  }
  lines.push(...(workloadRows.length > 1 ? table(workloadRows, "  ") : ["  none"]));
  lines.push("", ...renderGate(run.outputs.promotion as PromotionReport | null | undefined));
  lines.push("", ...renderGuard(run.outputs.guard as GuardReport | null | undefined));
  const custom = run.resources.filter((r) => r.custom);
  lines.push(
    "",
    `Resources: ${custom.length} (components: ${run.resources.length - custom.length})`,
  );
  lines.push(
    ...table(
      Object.entries(countByType(custom)).map(([t, n]) => [String(n).padStart(4), t]),
      "  ",
    ),
  );
  if (run.logs.length > 0) lines.push("", "Program log", ...run.logs.map((l) => `  ${l}`));
  return lines.join("\n");
}

/**
 * A blue-green workload's two Deployments: the live slot first, under the workload's name,
 * then the other one, warm (with the end of its window) or idle. A slot at 0 pods still lists
 * the Secrets its kept pod template references.
 */
function slotRows(name: string, slots: StoredSlots): string[][] {
  const other = otherSlot(slots.live);
  const row = (slot: Slot, state: string) => [
    slot === slots.live ? name : "",
    `Deployment (${slot}, ${state})`,
    String(slots[slot].replicas),
    slots[slot].secretNames.join(", ") || "-",
  ];
  const warm = slots.warm?.slot === other ? `warm until ${slots.warm.until.slice(0, 16)}Z` : "idle";
  return [row(slots.live, "live"), row(other, warm)];
}

interface DeliveryOutput {
  mode: string;
  storeRef: { kind: string; name: string } | null;
  storeDeclared: boolean;
  readyTimeoutSeconds?: number;
}

/** The stack's delivery mode, and the ESO store when one is configured. */
function renderDelivery(d: DeliveryOutput): string {
  const mode =
    d.mode === "externalSecrets"
      ? "Delivery: externalSecrets (an ExternalSecret per version; the External Secrets Operator writes the Secret)"
      : "Delivery: direct (the program writes each version as a Kubernetes Secret)";
  if (!d.storeRef) return mode;
  return (
    `${mode}; store ${d.storeRef.kind} ${d.storeRef.name}` +
    `${d.storeDeclared ? " (declared by this stack)" : ""}, Ready within ${d.readyTimeoutSeconds} s`
  );
}

/** The staging gate's verdict per active and canary version. */
function renderGate(report: PromotionReport | null | undefined): string[] {
  if (!report) return ["Staging gate: not configured (secret-rotation:promotion)"];
  const rows = [["SECRET", "VERSION", "ROLE", "GATE", "DETAIL"]];
  for (const d of report.decisions) {
    const detail =
      d.status === "overridden"
        ? `override: "${d.overrideReason}"; staging shows: ${d.reasons.join("; ")}`
        : d.reasons.join("; ") || "staging activated it, soaked, same keys";
    rows.push([d.secret, d.version, d.role, d.status, detail]);
  }
  return [
    `Staging gate (from ${report.fromStack}, soak ${report.soakHours} h)`,
    ...table(rows, "  "),
  ];
}

/** What the reference guard read, asked about and kept. */
function renderGuard(report: GuardReport | null | undefined): string[] {
  if (!report) return ["Reference guard: not run (dev prunes nothing)"];
  const source = (name: string, s: GuardReport["kubernetes"], option: string, command: string) => {
    const text: Record<string, string> = {
      read: "checked",
      skipped: "not needed (nothing is pruned)",
      off: "off (config)",
      unavailable: `UNAVAILABLE (${s.reason ?? ""}): nothing is pruned`,
      unchecked: `not checked: pass ${option} FILE, written by: ${command} > FILE`,
    };
    return `  ${name}: ${text[s.status]}`;
  };
  return [
    "Reference guard",
    source("cluster", report.kubernetes, "--cluster", CLUSTER_COMMAND),
    source("AWS", report.aws, "--aws", AWS_COMMAND),
    `  asked about: ${report.asked.join(", ") || "none (nothing would be pruned)"}`,
    `  kept: ${report.kept.join(", ") || "none"}`,
  ];
}
