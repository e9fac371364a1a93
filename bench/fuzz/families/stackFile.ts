/**
 * Fuzz families: the stack file's shape: keys yaml.v3 refuses or merges, keys without the
 * project namespace, workload kinds, and two resources with one URN. Each family cites the
 * upstream rule that decides its verdicts.
 */
import * as YAML from "yaml";
import { type Family, type Spec, type Editor, cfg, NS } from "../model";
import { values, dep } from "./helpers";

export const STACK_FILE_FAMILIES: Family[] = [
  {
    name: "yaml-duplicate-key",
    rule: "gopkg.in/yaml.v3 v3.0.1 decode.go decoder.mapping: 'mapping key ... already defined' (keys compared by text, quoting ignored), as pulumi sdk/go/common/encoding/marshal.go reads stack files",
    make: (b) => {
      const out: Spec[] = [
        {
          what: `versions: "${b.active}" and ${b.active}`,
          path: `secrets.${b.secret}.versions.${b.active}`,
          verdict: "refused",
          edit: (e) =>
            e.text((t) =>
              t.replace(
                new RegExp(`^(\\s*)"${b.active}": \\{\\}$`, "m"),
                `$1"${b.active}": {}\n$1${b.active}: {}`,
              ),
            ),
        },
      ];
      if (b.deployment) {
        out.push({
          what: "image written twice",
          path: `workloads.${b.deployment}.image`,
          verdict: "refused",
          edit: (e) =>
            e.text((t) =>
              t.replace(
                /^(\s*)image: (.*)$/m,
                "$1image: $2\n$1image: registry.example.com/other:1",
              ),
            ),
        });
      }
      return out;
    },
  },
  {
    name: "yaml-merge-key",
    rule: "gopkg.in/yaml.v3 v3.0.1 decode.go decoder.merge: `<<` merges the aliased map (the Pulumi CLI's reader resolves it)",
    make: (b) => {
      if (!b.deployment) return [];
      const d = b.deployment;
      return [
        {
          what: `a workload merging ${d} with <<`,
          path: "workloads.merged-worker",
          verdict: "accepted",
          edit: (e) => {
            // After the anchored workload: an alias refers back to an anchor already read.
            const workloads = e.doc.getIn(cfg("workloads"), true);
            const base = e.doc.getIn(cfg("workloads", d), true);
            if (!YAML.isMap(workloads) || !YAML.isMap(base)) throw new Error(`no workload ${d}`);
            const merged = new YAML.YAMLMap();
            merged.items.push(
              new YAML.Pair(new YAML.Scalar("<<"), e.doc.createAlias(base, "base")),
            );
            merged.set("replicas", 1);
            workloads.items.push(new YAML.Pair(new YAML.Scalar("merged-worker"), merged));
          },
        },
      ];
    },
  },
  {
    name: "pulumi-unqualified-key",
    rule: "pulumi v3.248.0 sdk/go/common/workspace/loaders.go LoadProjectStackBytes -> stackConfigNamespacedWithProject: a stack-file key without `<namespace>:` is the project's key",
    make: () =>
      ["workloads", "retentionDays"].map((field) => ({
        what: `${NS}${field} written as ${field}`,
        path: field,
        verdict: "accepted" as const,
        edit: (e: Editor) => {
          // The namespace left out: the key moves (or, absent, is added) without it.
          if (e.get(cfg(field)) === undefined) e.set(["config", field], 7);
          else e.renameKey(["config"], `${NS}${field}`, field);
        },
      })),
  },
  {
    name: "workload-kind-field-typo",
    rule: "kubernetes apps/v1 and batch/v1 need a kind (the object has no type without it); the product's typo guard names the unknown field (docs/config-reference.md: every unknown field is reported)",
    make: (b) =>
      [b.deployment, b.cronJob]
        .filter((w): w is string => w !== undefined)
        .flatMap((w) =>
          ["knd", "kid"].map((typo) => ({
            what: `workloads.${w}.kind written as ${typo}`,
            path: `workloads.${w}.${typo}`,
            verdict: "refused" as const,
            edit: (e: Editor) => e.renameKey(cfg("workloads", w), "kind", typo),
          })),
        ),
  },
  {
    name: "workload-kind-value",
    rule: "kubernetes apiVersion/kind are case-sensitive (apimachinery runtime scheme: no kind `deployment`); the product declares Deployment or CronJob only, StatefulSet/DaemonSet with owner: external (docs/linked-workloads.md)",
    // A Deployment made a CronJob is refused for its Deployment-only fields and its missing
    // schedule: any problem of that workload names it.
    make: (b) =>
      values(dep("kind"), [
        ["deployment", "refused"],
        ["Job", "refused"],
        ["StatefulSet", "refused"],
        ["CronJob", "refused"],
      ])(b).map((s) => ({ ...s, alsoPaths: [`workloads.${b.deployment}`] })),
  },
  {
    name: "duplicate-urn",
    rule: "pulumi v3.248.0 pkg/resource/deploy/step_generator.go stepGenerator.generateURN: 'Duplicate resource URN' (names built by joining config names with '-')",
    make: (b) => [
      {
        what: `secret a (key b-${b.active}-x) and secret a-${b.active}-b (key x)`,
        path: "secrets.a",
        alsoPaths: [`secrets.a-${b.active}-b`],
        verdict: "refused",
        edit: (e) => {
          e.set(cfg("secrets", "a"), {
            active: b.active,
            generate: { [`b-${b.active}-x`]: { length: 32 } },
            versions: { [b.active]: {} },
          });
          e.set(cfg("secrets", `a-${b.active}-b`), {
            active: b.active,
            generate: { x: { length: 32 } },
            versions: { [b.active]: {} },
          });
        },
      },
    ],
  },
];
