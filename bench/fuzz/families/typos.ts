/**
 * Fuzz families: typos: an unknown field, and a near miss of the project namespace. Each family
 * cites the upstream rule that decides its verdicts.
 */
import { type Family, type Spec, cfg, NS } from "../model";

export const TYPO_FAMILIES: Family[] = [
  {
    name: "unknown-field",
    rule: "docs/config-reference.md: every unknown field is reported by name (a typo would otherwise be silently ignored; kubernetes strict field validation refuses unknown fields too)",
    make: (b) => {
      const out: Spec[] = [
        {
          what: "retentionDay",
          path: "retentionDay",
          verdict: "refused",
          edit: (e) => e.set(cfg("retentionDay"), 7),
        },
        {
          what: "secret field verison",
          path: `secrets.${b.secret}.verison`,
          verdict: "refused",
          edit: (e) => e.set(cfg("secrets", b.secret, "verison"), "x"),
        },
      ];
      if (b.deployment) {
        out.push({
          what: "replica",
          path: `workloads.${b.deployment}.replica`,
          verdict: "refused",
          edit: (e) => e.set(cfg("workloads", b.deployment!, "replica"), 2),
        });
      }
      if (b.cronJob) {
        out.push({
          what: "replicas on a CronJob",
          path: `workloads.${b.cronJob}.replicas`,
          verdict: "refused",
          edit: (e) => e.set(cfg("workloads", b.cronJob!, "replicas"), 2),
        });
      }
      return out;
    },
  },
  {
    name: "namespace-near-miss",
    rule: "issue 17 section 1 and docs/troubleshooting.md: a near miss of the project namespace (secret_rotation:) is read by nobody, so pulumi up would delete every resource; refused (the product's contract)",
    make: () => [
      {
        what: "secret_rotation:secrets",
        path: "secrets",
        alsoPaths: ["secret_rotation:secrets"],
        verdict: "refused",
        edit: (e) => e.renameKey(["config"], `${NS}secrets`, "secret_rotation:secrets"),
      },
    ],
  },
];
