/**
 * Fuzz families: rewrites every system accepts: renames, reordering, quoting, comments,
 * anchors, versions. Each family cites the upstream rule that decides its verdicts.
 */
import * as YAML from "yaml";
import { type Family, type Spec, type Editor, cfg } from "../model";
import { versioned } from "./helpers";

export const VALID_FAMILIES: Family[] = [
  {
    name: "valid-rename",
    rule: "renaming a secret or workload (and its references) is a new name: accepted by every system",
    make: (b) => {
      const out: Spec[] = [
        {
          what: "secret renamed payments-keys",
          path: "secrets.payments-keys",
          verdict: "accepted",
          edit: (e) => e.renameSecret(b.secret, "payments-keys"),
        },
      ];
      if (b.deployment) {
        out.push({
          what: "workload renamed web",
          path: "workloads.web",
          verdict: "accepted",
          edit: (e) => e.renameKey(cfg("workloads"), b.deployment!, "web"),
        });
      }
      return out;
    },
  },
  {
    name: "valid-reorder",
    rule: "YAML 1.2 / yaml.v3: map key order carries no meaning",
    make: () =>
      [1, 2, 3].map((n) => ({
        what: `every map shuffled (${n})`,
        path: "",
        verdict: "accepted" as const,
        edit: (e: Editor) => {
          YAML.visit(e.doc, {
            Map(_k, map) {
              for (let i = map.items.length - 1; i > 0; i--) {
                const j = Math.floor(e.random() * (i + 1));
                [map.items[i], map.items[j]] = [map.items[j], map.items[i]];
              }
            },
          });
        },
      })),
  },
  {
    name: "valid-quoting",
    rule: "YAML 1.2 / yaml.v3: a quoted, single-quoted or plain string is the same string; flow and block style are the same map",
    make: () =>
      (
        [
          ["double-quoted strings", { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }],
          ["single-quoted strings", { defaultStringType: "QUOTE_SINGLE", defaultKeyType: "PLAIN" }],
          [
            "JSON (flow maps, keys and strings double-quoted)",
            {
              collectionStyle: "flow",
              defaultStringType: "QUOTE_DOUBLE",
              defaultKeyType: "QUOTE_DOUBLE",
            },
          ],
          ["block maps", { collectionStyle: "block" }],
        ] as const
      ).map(([what, options]) => ({
        what,
        path: "",
        verdict: "accepted" as const,
        edit: (e: Editor) => {
          // Re-render the whole document in one style (a string that reads as a number, such
          // as a version id, stays quoted).
          e.text((t) => YAML.stringify(YAML.parse(t), { lineWidth: 0, ...options }));
        },
      })),
  },
  {
    name: "valid-comments-and-markers",
    rule: "YAML 1.2 / yaml.v3: comments, document markers and CRLF line breaks carry no data",
    make: () => [
      {
        what: "a comment after every line",
        path: "",
        verdict: "accepted",
        edit: (e) =>
          e.text((t) =>
            t
              .split("\n")
              .map((l) => (l.trim() === "" || /#/.test(l) || /["'|>]/.test(l) ? l : `${l} # fuzz`))
              .join("\n"),
          ),
      },
      {
        what: "--- and ... markers",
        path: "",
        verdict: "accepted",
        edit: (e) => e.text((t) => `---\n${t}...\n`),
      },
      {
        what: "CRLF line breaks",
        path: "",
        verdict: "accepted",
        edit: (e) => e.text((t) => t.replace(/\n/g, "\r\n")),
      },
    ],
  },
  {
    name: "valid-anchors",
    rule: "YAML 1.2 / yaml.v3: an alias is its anchored node",
    make: (b) =>
      !b.deployment || !b.cronJob
        ? []
        : [
            {
              what: "the CronJob's secrets list as an alias of the Deployment's",
              path: "",
              verdict: "accepted",
              edit: (e) => {
                const list = e.doc.getIn(cfg("workloads", b.deployment!, "secrets"), true);
                const cronList = e.doc.getIn(cfg("workloads", b.cronJob!, "secrets"), true);
                if (!YAML.isSeq(list) || !YAML.isSeq(cronList)) return;
                // Same content only: an alias may not change what the CronJob links.
                if (JSON.stringify(list.toJSON()) !== JSON.stringify(cronList.toJSON())) {
                  e.set(cfg("workloads", b.cronJob!, "secrets"), list.toJSON());
                  return;
                }
                list.anchor = "links";
                e.doc.setIn(cfg("workloads", b.cronJob!, "secrets"), e.doc.createAlias(list));
              },
            },
          ],
  },
  {
    name: "valid-versions",
    rule: "PRODUCT.md: versions newer than active are pending, older ones are previous/retained (accepted)",
    make: (b) =>
      !versioned(b)
        ? []
        : [
            {
              what: "a pending version 20261115100000",
              path: `secrets.${b.secret}.versions.20261115100000`,
              verdict: "accepted",
              edit: (e) => e.set(cfg("secrets", b.secret, "versions", "20261115100000"), {}),
            },
            {
              what: "an older version 20260101000000",
              path: `secrets.${b.secret}.versions.20260101000000`,
              verdict: "accepted",
              edit: (e) => e.set(cfg("secrets", b.secret, "versions", "20260101000000"), {}),
            },
            {
              what: "a configured key in every version, secure",
              path: `secrets.${b.secret}.versions`,
              verdict: "accepted",
              edit: (e) => {
                for (const v of b.versions) {
                  e.set(cfg("secrets", b.secret, "versions", v, "db_password"), {
                    secure: "v1:AAAA",
                  });
                }
              },
            },
            {
              what: "a configured key in one version only",
              path: `secrets.${b.secret}.versions.${b.active}`,
              verdict: "refused",
              edit: (e) =>
                e.set(cfg("secrets", b.secret, "versions", b.active, "db_password"), {
                  secure: "v1:AAAA",
                }),
            },
          ],
  },
];
