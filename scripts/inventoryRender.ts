/**
 * The inventory as text: four tables (versions, where each runs, what else holds it, flags),
 * never prose. Names and versions only: the inventory holds no secret value.
 */
import type { Inventory, StaleFlag } from "../plan/inventory/inventory";

/** Rows as columns padded to their widest cell (the last column is not padded). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const section = (title: string, header: string[], rows: string[][]) =>
  `${title}\n${rows.length > 0 ? table(header, rows) : "(none)"}`;

const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : "-");

export function renderInventory(
  head: { stack: string; at: Date; cluster: string; aws: string },
  inventory: Inventory,
): string {
  const versions = inventory.secrets.flatMap((s) => s.versions.map((v) => ({ s, v })));
  const lines = [
    `Inventory of stack ${head.stack} at ${head.at.toISOString()} (cluster: ${head.cluster}; AWS: ${head.aws})`,
    "",
    section(
      "VERSIONS",
      [
        "SECRET",
        "VERSION",
        "STATE",
        "AGE",
        "ACTIVE",
        "PODS",
        "READY",
        "AWS LAST READ",
        "AWS DELETION",
        "FLAGS",
      ],
      versions.map(({ s, v }) => [
        s.name,
        v.version,
        v.state,
        `${v.ageDays}d`,
        v.activeDays === undefined ? "-" : `${v.activeDays}d`,
        String(v.pods),
        String(v.ready),
        v.aws ? day(v.aws.lastAccessedDate) : "?",
        v.aws ? (v.aws.scheduledForDeletion ? `scheduled ${day(v.aws.deletedDate)}` : "-") : "?",
        v.flags.join(",") || "-",
      ]),
    ),
    "",
    section(
      "WHERE IT RUNS",
      ["SECRET", "VERSION", "WORKLOAD", "NAMESPACE", "RELATION", "PODS", "READY"],
      versions.flatMap(({ s, v }) =>
        v.workloads.map((g) => [
          s.name,
          v.version,
          `${g.kind} ${g.name}`,
          g.namespace,
          g.relation,
          // Pods that end on their own (terminating, or run by a Job): listed, never stale.
          g.settling ? `${g.pods} (${g.settling} settling)` : String(g.pods),
          String(g.ready),
        ]),
      ),
    ),
    "",
    section(
      "WHAT ELSE HOLDS IT",
      ["SECRET", "VERSION", "OBJECT", "NAMESPACE", "WHY", "WORKLOAD", "RELATION"],
      versions.flatMap(({ s, v }) =>
        v.holders.map((h) => [
          s.name,
          v.version,
          `${h.kind} ${h.name}`,
          h.namespace,
          h.revision !== undefined ? `${h.why} (revision ${h.revision})` : h.why,
          h.workload,
          h.relation,
        ]),
      ),
    ),
    "",
    section(
      "FLAGS",
      ["FLAG", "SECRET", "VERSION", "WORKLOAD", "DETAIL"],
      [
        ...inventory.flags.stale.map((f) => [
          "stale",
          f.secret,
          f.version,
          f.workload,
          staleDetail(f),
        ]),
        ...inventory.flags.unknown.map((f) => [
          "unknown",
          f.secret,
          f.version,
          f.workload,
          f.linkedWithout
            ? `linked, but does not link this secret (${f.through})`
            : `neither owned nor linked (${f.through})`,
        ]),
        ...inventory.flags.overdue.map((f) => [
          "overdue",
          f.secret,
          f.version,
          "-",
          `${f.ageDays} days since ${day(f.since)}; maxAgeDays ${f.maxAgeDays}`,
        ]),
      ],
    ),
  ];
  return lines.join("\n");
}

/** What a stale row says: who runs it (or will), and what should run instead. */
function staleDetail(f: StaleFlag): string {
  const runs = f.through
    ? `its template reads it (${f.through}): its next pods will run it`
    : `${f.pods} pod${f.pods === 1 ? "" : "s"}`;
  const should = f.recorded ? "the memory records the slot runs" : "the config links";
  return `${runs}; ${should} ${f.linked ?? "no version of it"}`;
}
