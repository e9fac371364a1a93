/**
 * The rotation diff (`npm run plan -- <stack> --base <ref>`) as text, for a reviewer: per
 * secret what changes, in the order a rotation happens (versions, active and canary, the
 * workloads that roll, what is pruned, what the staging gate needs). Pure.
 */
import type { Change, PlanDiff, SecretDiff } from "./planDiff";

/** Where the two plans came from. */
export interface DiffHeader {
  stack: string;
  ref: string;
  commit: string;
  at: string;
  /** The stack file, relative to the repository. */
  stackFile: string;
  /** The stack file is not at the ref: the pull request adds it. */
  newStackFile: boolean;
}

const arrow = (c: Change<string>) => `${c.from ?? "none"} → ${c.to ?? "none"}`;
const list = (items: readonly string[]) => items.join(", ");

function secretLines(name: string, d: SecretDiff): string[] {
  const lines = [`  ${name}: ${d.change}`];
  const add = (label: string, text: string) => lines.push(`    ${label}: ${text}`);
  const notCreated = new Map(d.notCreated.map((v) => [v.version, v.state]));
  const added = d.versionsAdded.map((v) =>
    notCreated.has(v) ? `${v} (${notCreated.get(v)}: listed, never created)` : v,
  );
  if (added.length > 0) add("versions added", list(added));
  if (d.versionsRemoved.length > 0) add("versions removed", list(d.versionsRemoved));
  for (const s of d.states) add(`version ${s.version}`, `${s.from} → ${s.to}`);
  if (d.active) add("active", arrow(d.active));
  if (d.canary) add("canary", arrow(d.canary));
  if (d.rollbackTarget) add("rollback target", arrow(d.rollbackTarget));
  if (d.rolls.length > 0) {
    lines.push("    workloads that roll:");
    for (const r of d.rolls) {
      lines.push(`      ${r.workload} (${r.part}): ${r.from ?? "none"} → ${r.to ?? "none"}`);
    }
  }
  if (d.pruned.length > 0) {
    add("pruned (no longer declared: AWS secret and Kubernetes Secret deleted)", list(d.pruned));
  }
  for (const r of d.renamed) {
    add(`version ${r.version} renamed`, `${r.from} → ${r.to} (the old one is deleted)`);
  }
  if (d.valuesChanged.length > 0) {
    add(
      "values set again (a version's value never changes: `pulumi up` refuses a new value for a version it has written; add a new version instead)",
      list(d.valuesChanged.map((v) => `${v.version}.${v.key}`)),
    );
  }
  for (const g of d.gate) {
    const role = `${g.role} ${g.version}${g.new ? "" : " (as at the base)"}`;
    const why = g.reasons.length > 0 ? `: ${g.reasons.join("; ")}` : "";
    add(`staging gate, ${role}`, `${g.status}${why}`);
    if (g.needs) lines.push(`      needs: ${g.needs}`);
  }
  return lines;
}

/** The diff as text; a secret that does not change is named on one line. */
export function renderDiff(header: DiffHeader, diff: PlanDiff): string {
  const lines = [
    `Rotation diff for stack ${header.stack}: ${header.ref} (${header.commit.slice(0, 12)}) → working tree, at ${header.at}`,
  ];
  if (header.newStackFile) {
    lines.push(`${header.stackFile} is new: it is not at ${header.ref}; everything is added.`);
  }
  if (diff.delivery) lines.push(`Delivery: ${arrow(diff.delivery)}`);
  if (diff.promotion) lines.push(`Staging gate: ${arrow(diff.promotion)}`);
  else lines.push(`Staging gate: ${diff.gate ?? "none (secret-rotation:promotion is not set)"}`);
  if (diff.workloadsAdded.length > 0) lines.push(`Workloads added: ${list(diff.workloadsAdded)}`);
  if (diff.workloadsRemoved.length > 0) {
    lines.push(`Workloads removed: ${list(diff.workloadsRemoved)}`);
  }
  lines.push("", "Secrets");
  const unchanged: string[] = [];
  for (const [name, d] of Object.entries(diff.secrets)) {
    if (d.change === "unchanged" && d.gate.every((g) => !g.new)) unchanged.push(name);
    else lines.push(...secretLines(name, d));
  }
  if (unchanged.length > 0) lines.push(`  unchanged: ${list(unchanged)}`);
  if (Object.keys(diff.secrets).length === 0) lines.push("  none");
  if (diff.warnings.length > 0) {
    lines.push("", "New warnings", ...diff.warnings.map((w) => `  ${w}`));
  }
  return lines.join("\n");
}
