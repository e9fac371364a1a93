/**
 * Fuzz families: a secret's versions: version ids, active and keep, generated keys. Each family
 * cites the upstream rule that decides its verdicts.
 */
import { type Family, type Spec, type Verdict, cfg, type Key } from "../model";
import { join } from "../../../core/problems";
import { versioned } from "./helpers";

export const VERSION_FAMILIES: Family[] = [
  {
    name: "version-id",
    rule: "PRODUCT.md: a version id is a UTC timestamp YYYYMMDDHHMMSS, a real date and time, at most a few minutes in the future (the product's contract; docs/config-reference.md: at most 5 minutes)",
    make: (b) =>
      !versioned(b)
        ? []
        : (
            [
              ["20261031235959", "accepted"],
              ["20261131000000", "refused"],
              ["20260230000000", "refused"],
              ["20261120000400", "accepted"],
              ["20261120000600", "refused"],
              ["20261201000000", "refused"],
              ["2026111010000", "refused"],
              ["20261110246000", "refused"],
            ] as const
          ).map(([id, verdict]) => ({
            what: `extra version ${id}`,
            path: `secrets.${b.secret}.versions.${id}`,
            verdict,
            edit: (e) => e.set(cfg("secrets", b.secret, "versions", id), {}),
          })),
  },
  {
    name: "active-and-keep",
    rule: "PRODUCT.md: active is one of the listed versions; keep lists versions never pruned (the product's contract)",
    make: (b) => [
      {
        what: "active not listed",
        path: `secrets.${b.secret}.active`,
        verdict: "refused",
        edit: (e) => e.set(cfg("secrets", b.secret, "active"), "20250101000000"),
      },
      {
        what: "active unquoted (a YAML number)",
        path: `secrets.${b.secret}.active`,
        verdict: "accepted",
        edit: (e) => e.set(cfg("secrets", b.secret, "active"), e.raw(b.active)),
      },
      {
        what: "keep a listed version",
        path: `secrets.${b.secret}.keep`,
        verdict: "accepted",
        edit: (e) => e.set(cfg("secrets", b.secret, "keep"), [b.versions[0]]),
      },
      {
        what: "keep an unlisted version",
        path: `secrets.${b.secret}.keep`,
        verdict: "refused",
        edit: (e) => e.set(cfg("secrets", b.secret, "keep"), ["20250101000000"]),
      },
    ],
  },
  {
    name: "generate",
    rule: "docs/config-reference.md generate.<key>.length 16-4096, special boolean; kubernetes apimachinery IsConfigMapKey for the key ([-._a-zA-Z0-9]+, not '.' or '..'-prefixed, 253)",
    make: (b) => {
      const k = b.generated[0];
      if (!k) return [];
      const at = (...rest: Key[]) => cfg("secrets", b.secret, "generate", ...rest);
      const p = `secrets.${b.secret}.generate`;
      const len = (yaml: string, verdict: Verdict): Spec => ({
        what: `length ${yaml}`,
        path: `${p}.${k}.length`,
        verdict,
        edit: (e) => e.set(at(k, "length"), e.raw(yaml)),
      });
      const key = (name: string, verdict: Verdict): Spec => ({
        what: `generated key ${JSON.stringify(name)}`,
        // A key holding "." is named in brackets, as pulumi config set --path reads it.
        path: join(p, name),
        verdict,
        edit: (e) => e.set(at(name), { length: 32 }),
      });
      return [
        len("15", "refused"),
        len("16", "accepted"),
        len("4096", "accepted"),
        len("4097", "refused"),
        {
          what: "special: yes (a string)",
          path: `${p}.${k}.special`,
          verdict: "refused",
          edit: (e) => e.set(at(k, "special"), "yes"),
        },
        {
          what: "special: true",
          path: `${p}.${k}.special`,
          verdict: "accepted",
          edit: (e) => e.set(at(k, "special"), true),
        },
        key("api.token-2", "accepted"),
        key("bad key", "refused"),
        key("..x", "refused"),
      ];
    },
  },
];
