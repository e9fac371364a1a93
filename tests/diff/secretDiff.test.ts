/** TEMPORARY (issue 18): the old secret parser against the zod one. */
import { strict as assert } from "assert";
import fc from "fast-check";
import { Problems } from "../../config/contract/kernel";
import * as now from "../../config/contract/secret";
import * as old from "./oldSecret";

const NOW = new Date("2025-08-01T00:00:00Z");
const IDS = ["20250101000000", "20250201000000", "20250301000000", "20991231000000", "2025"];

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(""),
  fc.constant(" 7 "),
  fc.constant("7.0"),
  fc.constant("-0"),
  fc.constant("+7"),
  fc.constant("__proto__"),
  fc.integer({ min: -5, max: 5000 }),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 6 }),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer())),
  fc.dictionary(
    fc.string({ maxLength: 4 }),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
  ),
);

/** An object with some of `fields` and maybe extra keys (`__proto__` as an own key). */
function objectOf(fields: Record<string, fc.Arbitrary<unknown>>, extraNames: string[]) {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(fc.constantFrom(...extraNames), junk, { maxKeys: 2 }),
    )
    .map(([known, extra]) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries({ ...known, ...extra }))
        Object.defineProperty(out, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    });
}

const versionId = fc.oneof(
  fc.constantFrom(...IDS, 20250101000000, 20250201000000, "2025-01-01", "99999999999999"),
  junk,
);
const value = fc.oneof(
  fc.constantFrom("s3cret", "", 7, true, { secure: "v1:abc" }, null, ["x"]),
  fc.string({ maxLength: 5 }),
);
const values = fc.oneof(
  objectOf({ password: value, user: value, "bad key": value, token: value }, [
    "__proto__",
    "constructor",
    "api_key",
  ]),
  junk,
);
const versions = fc.oneof(
  fc
    .uniqueArray(fc.tuple(fc.constantFrom(...IDS, "__proto__", "constructor", "x"), values), {
      selector: ([id]) => id,
      maxLength: 3,
    })
    .map((entries) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of entries)
        Object.defineProperty(out, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }),
  junk,
);
const generate = fc.oneof(
  objectOf(
    {
      token: fc.oneof(objectOf({ length: junk, special: junk }, ["lenght", "__proto__"]), junk),
      password: fc.oneof(fc.constant({ length: 16 }), junk),
    },
    ["__proto__", "constructor", "bad key"],
  ),
  junk,
);
const canary = fc.oneof(
  objectOf({ version: versionId, percent: fc.oneof(fc.constantFrom(1, 50, 100, 0, "10"), junk) }, [
    "percnt",
    "__proto__",
  ]),
  junk,
);
const monitor = fc.oneof(
  fc.constant({
    namespace: "AWS/ApplicationELB",
    metricName: "HTTPCode_Target_5XX_Count",
    statistic: "Sum",
    threshold: 5,
    period: 60,
    evaluationPeriods: 3,
    alarmActions: [],
  }),
  objectOf({ namespace: junk, statistic: junk }, ["x"]),
  junk,
);
const PAST = IDS.slice(0, 3);
/** A secret that is valid, or nearly (one field swapped for junk). */
const good = fc
  .record({
    ids: fc.subarray(PAST, { minLength: 1 }),
    keys: fc.subarray(["password", "user"], { minLength: 1 }),
    gen: fc.boolean(),
    active: fc.nat(),
    keep: fc.subarray(PAST),
    retentionDays: fc.option(fc.constantFrom(1, 30, "30", 3650, null), { nil: undefined }),
    delivery: fc.option(fc.constantFrom("direct", "externalSecrets", null), { nil: undefined }),
    canary: fc.boolean(),
    monitor: fc.boolean(),
    swap: fc.option(
      fc.tuple(
        fc.constantFrom(
          "active",
          "versions",
          "retentionDays",
          "keep",
          "delivery",
          "generate",
          "canary",
          "monitor",
          "x",
        ),
        junk,
      ),
      { nil: undefined, freq: 2 },
    ),
  })
  .map((g) => {
    const active = g.ids[g.active % g.ids.length];
    const other = g.ids.find((id) => id !== active) ?? PAST.find((id) => id !== active)!;
    const out: Record<string, unknown> = {
      active: g.active % 2 ? Number(active) : active,
      versions: Object.fromEntries(
        g.ids.map((id) => [id, Object.fromEntries(g.keys.map((k) => [k, `${k}-${id}`]))]),
      ),
    };
    if (g.keep.length) out.keep = g.keep;
    if (g.retentionDays !== undefined) out.retentionDays = g.retentionDays;
    if (g.delivery !== undefined) out.delivery = g.delivery;
    if (g.gen) out.generate = { token: { length: 32 } };
    if (g.canary) out.canary = { version: other, percent: 10 };
    if (g.monitor)
      out.monitor = {
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        statistic: "Sum",
        threshold: 5,
        period: 60,
        evaluationPeriods: 3,
        alarmActions: [],
      };
    if (g.swap) out[g.swap[0]] = g.swap[1];
    return out;
  });
const secret = fc.oneof(
  { weight: 10, arbitrary: good },
  {
    weight: 5,
    arbitrary: objectOf(
      {
        active: versionId,
        versions,
        retentionDays: fc.oneof(
          fc.constantFrom(1, 3650, 3651, 0, "30", " 7 ", "7.0", "+7", "-0"),
          junk,
        ),
        keep: fc.oneof(fc.array(versionId, { maxLength: 3 }), junk),
        delivery: fc.oneof(fc.constantFrom("direct", "externalSecrets", "Direct"), junk),
        generate,
        canary,
        monitor,
      },
      ["__proto__", "constructor", "activ", "retentionDay", "x"],
    ),
  },
  { weight: 1, arbitrary: junk },
);
const name = fc.constantFrom(
  "api",
  "api",
  "api",
  "db-creds",
  "api",
  "auth-api-secrets",
  "Bad_Name",
  "",
  "__proto__",
  "constructor",
  "a".repeat(70),
);
const context = fc.record({
  environment: fc.constantFrom("dev", "staging", "production", "production"),
  retentionDays: fc.constantFrom(14, 30),
  delivery: fc.constantFrom<"direct" | "externalSecrets">("direct", "externalSecrets"),
});

describe("differential (temporary): secrets.<name> on zod against the old parser", () => {
  it("parses 3,000 secrets alike: results, problems, paths, order, wrapValue calls", () => {
    const seen = { valid: 0, wrapped: 0, problems: 0 };
    fc.assert(
      fc.property(name, secret, context, (n, v, c) => {
        const run = (parse: typeof now.parseSecret) => {
          const p = new Problems();
          const wrapped: string[] = [];
          const spec = parse(p, n, v, {
            ...c,
            now: NOW,
            wrapValue: (s) => {
              wrapped.push(s);
              return `wrapped(${wrapped.length})`;
            },
          });
          if (parse === now.parseSecret) {
            seen.valid += spec ? 1 : 0;
            seen.wrapped += wrapped.length > 0 ? 1 : 0;
            seen.problems += p.list.length > 0 ? 1 : 0;
          }
          return JSON.stringify({ spec, problems: p.list, wrapped });
        };
        assert.equal(run(now.parseSecret), run(old.parseSecret), JSON.stringify([n, v, c]));
      }),
      { numRuns: 3000 },
    );
    // The inputs reach every outcome: valid secrets, wrapped values, refused ones.
    console.log(`      ${JSON.stringify(seen)}`);
    assert.ok(
      seen.valid >= 100 && seen.wrapped >= 300 && seen.problems >= 300,
      JSON.stringify(seen),
    );
  });

  it("writes the same schema and reference rows", () => {
    assert.equal(JSON.stringify(now.SECRET_SCHEMA), JSON.stringify(old.SECRET_SCHEMA));
    const rows = (fields: typeof old.SECRET_FIELDS | typeof now.SECRET_FIELDS) =>
      Object.entries(fields).map(([k, f]) => [k, f.presence, f.defaultText, f.doc, f.nested]);
    assert.deepEqual(rows(now.SECRET_FIELDS), rows(old.SECRET_FIELDS));
  });
});
