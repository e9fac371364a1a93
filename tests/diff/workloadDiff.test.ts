/** TEMPORARY (issue 18): the old workloads.<name> parser against the zod one. */
import { strict as assert } from "assert";
import fc from "fast-check";
import { type Contract, Problems } from "../../config/contract/kernel";
import * as newer from "../../config/contract/workload";
import * as old from "../../config/contract/workloadOld";

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(""),
  fc.constant(" 7 "),
  fc.constant("-3"),
  fc.constant("__proto__"),
  fc.integer({ min: -5, max: 100000 }),
  fc.double(),
  fc.boolean(),
  fc.string(),
  fc.array(fc.oneof(fc.string(), fc.integer())),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
);

/** An object with some of `fields` and up to `extra` odd keys, set as own properties. */
function objectOf(
  fields: Record<string, fc.Arbitrary<unknown>>,
  keys: string[],
  extra = 2,
  requiredKeys: string[] = [],
) {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys }),
      fc.dictionary(fc.constantFrom(...keys), junk, { maxKeys: extra, minKeys: 0 }),
    )
    .map(([known, more]) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of [...Object.entries(known), ...Object.entries(more)]) {
        Object.defineProperty(out, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    });
}

const SECRET_NAMES = ["db", "api", "badkeys", "constructor", "__proto__"];
const secretKeys = new Map<string, readonly string[]>([
  ["db", ["PASSWORD", "USER"]],
  ["api", ["KEY", "USER"]],
  ["badkeys", ["1bad", "ok"]],
  ["constructor", ["X"]],
  ["__proto__", ["P"]],
]);
const secretNameSets = fc.constantFrom(
  new Set(SECRET_NAMES),
  new Set(SECRET_NAMES),
  new Set(SECRET_NAMES),
  new Set<string>(),
  new Set(["db", "api"]),
);

const int = fc.oneof(
  fc.constantFrom(
    0,
    1,
    10,
    600,
    9,
    2147483646,
    2147483647,
    2147483648,
    -1,
    1.5,
    "5",
    " 12 ",
    "",
    "x",
  ),
  fc.integer({ min: -10, max: 1000 }),
  junk,
);
const strings = (items: string[]) =>
  fc.oneof(fc.array(fc.constantFrom(...items), { maxLength: 4 }), junk);
const env = fc.oneof(
  objectOf(
    {
      PLAIN: fc.oneof(fc.string(), fc.integer(), fc.boolean(), junk),
      USER: fc.constantFrom("u", 1, null, { a: 1 }),
      "1bad": fc.constantFrom("v", [1]),
    },
    ["__proto__", "constructor", "KEY", "P", "X", "a b", ""],
    3,
  ),
  junk,
);
const rollout = fc.oneof(
  objectOf(
    {
      maxUnavailable: fc.constantFrom(0, 1, "0%", "25%", "101%", -1, "x"),
      maxSurge: fc.constantFrom(0, 1, "0%", "150%", "x", null),
    },
    ["maxSurg", "__proto__"],
    1,
  ),
  junk,
);
const quantity = fc.constantFrom("100m", "1", "2Gi", "bad", 1, true, "500Mi", null);
const resources = fc.oneof(
  objectOf(
    {
      requests: fc.oneof(
        objectOf({ cpu: quantity, memory: quantity }, ["cpux", "__proto__"], 1),
        junk,
      ),
      limits: fc.oneof(objectOf({ cpu: quantity, memory: quantity }, ["gpu"], 1), junk),
    },
    ["request", "constructor"],
    1,
  ),
  junk,
);

/** Mostly `good` (so that whole workloads pass and reach the later checks), sometimes `bad`. */
const mostly = (good: fc.Arbitrary<unknown>, bad: fc.Arbitrary<unknown>, clean: boolean) =>
  clean
    ? fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: bad })
    : fc.oneof(good, bad);

function fieldsOf(clean: boolean): Record<string, fc.Arbitrary<unknown>> {
  return {
    kind: mostly(
      fc.constantFrom("Deployment", "CronJob", "StatefulSet", "DaemonSet"),
      fc.oneof(fc.constantFrom("Job", null), junk),
      clean,
    ),
    owner: mostly(
      fc.constantFrom("program", "external"),
      fc.oneof(fc.constantFrom("External", null), junk),
      clean,
    ),
    namespace: mostly(
      fc.constantFrom("prod", "default"),
      fc.oneof(fc.constantFrom("other", ""), junk),
      clean,
    ),
    containers: mostly(
      fc.array(fc.constantFrom("app", "side-car", "web"), { minLength: 1, maxLength: 2 }),
      strings(["app", "app", "Bad_Name", "side-car", ""]),
      clean,
    ),
    image: mostly(
      fc.constantFrom("nginx:1.25", "ghcr.io/a/b@sha256:abc"),
      fc.oneof(fc.constantFrom("", " ", "bad image", "UPPER:x"), junk),
      clean,
    ),
    secrets: mostly(
      fc.array(fc.constantFrom(...SECRET_NAMES), { maxLength: 3 }),
      strings([...SECRET_NAMES, "nope", ""]),
      clean,
    ),
    env: mostly(
      fc.dictionary(
        fc.constantFrom("A", "B_1", "PLAIN", "USER", "P", "__proto__", "constructor"),
        fc.oneof(fc.string(), fc.integer(), fc.boolean()),
      ),
      env,
      clean,
    ),
    replicas: mostly(fc.integer({ min: 0, max: 5 }), int, clean),
    minReadySeconds: mostly(fc.constantFrom(0, 10, "30", 700), int, clean),
    progressDeadlineSeconds: mostly(fc.constantFrom(600, "900", 5, 10), int, clean),
    port: mostly(
      fc.constantFrom(80, 8080, "443"),
      fc.oneof(fc.constantFrom(0, 65536, ""), junk),
      clean,
    ),
    schedule: mostly(
      fc.constantFrom("0 3 * * 1", "@daily", "@every 1h"),
      fc.oneof(fc.constantFrom("bad", "* * * * * *"), junk),
      clean,
    ),
    command: mostly(fc.array(fc.constantFrom("sh", "-c")), strings(["sh"]), clean),
    args: mostly(fc.array(fc.constantFrom("run", "")), strings(["run"]), clean),
    rollout: mostly(fc.constant({ maxSurge: "25%" }), rollout, clean),
    resources: mostly(
      fc.constant({ requests: { cpu: "100m" }, limits: { cpu: "1" } }),
      resources,
      clean,
    ),
  };
}

const EXTRA = ["knd", "imag", "__proto__", "constructor", "x", "Kind", "replica", "toString"];
const pick = (all: Record<string, fc.Arbitrary<unknown>>, names: string[]) =>
  Object.fromEntries(names.map((n) => [n, all[n]]));
/** A workload of one kind, mostly with that kind's fields only. */
function cleanOf(kind: string, names: string[], owner = "program") {
  const all = fieldsOf(true);
  return objectOf(
    {
      ...pick(all, names),
      kind: mostly(fc.constant(kind), all.kind, true),
      owner: mostly(fc.constant(owner), all.owner, true),
    },
    EXTRA,
    0,
    ["kind", ...names.filter((n) => ["image", "schedule", "namespace", "containers"].includes(n))],
  );
}
const OWNED = ["image", "secrets", "env", "command", "args", "resources"];
const workloadClean = fc.oneof(
  cleanOf("Deployment", [
    ...OWNED,
    "replicas",
    "minReadySeconds",
    "progressDeadlineSeconds",
    "port",
    "rollout",
  ]),
  cleanOf("CronJob", [...OWNED, "schedule"]),
  cleanOf("StatefulSet", ["namespace", "containers", "secrets"], "external"),
);
const workloadNoisy = objectOf(fieldsOf(false), EXTRA, 2);

const names = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("api", "auth-service", "web") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "Bad_Name",
      "constructor",
      "__proto__",
      "1abc",
      "",
      "a".repeat(53),
      "a".repeat(64),
      "web.v1",
    ),
  },
);

describe("differential (temporary): workloads.<name> on zod against the old parser", () => {
  it("parseWorkload: identical problems, paths, order and results (3,000 inputs)", () => {
    fc.assert(
      fc.property(
        names,
        fc.oneof(
          { weight: 5, arbitrary: workloadClean },
          { weight: 4, arbitrary: workloadNoisy },
          { weight: 1, arbitrary: junk },
        ),
        secretNameSets,
        fc.constantFrom("prod", "default"),
        (name, value, secretNames, ns) => {
          const a = new Problems();
          const b = new Problems();
          const run = (parse: typeof old.parseWorkload, q: Problems) => {
            try {
              return parse(q, name, value, secretNames, secretKeys, ns);
            } catch (e) {
              return `throws ${String(e)}`;
            }
          };
          const ra = run(newer.parseWorkload, a);
          const rb = run(old.parseWorkload, b);
          // String() of a null-prototype object throws in both (JSON config never holds one).
          if (typeof ra === "string" || typeof rb === "string") {
            assert.equal(typeof ra, typeof rb);
            return;
          }
          assert.deepStrictEqual(a.list, b.list, JSON.stringify(value));
          assert.deepStrictEqual(ra, rb);
        },
      ),
      { numRuns: 3000 },
    );
  });
  it("the contract view and the JSON Schema", () => {
    const view = (c: Contract) =>
      Object.entries(c).map(([k, f]) => [
        k,
        f.presence,
        f.defaultText,
        f.doc,
        f.kinds,
        Object.keys(f.nested?.contract ?? {}),
      ]);
    assert.deepStrictEqual(view(newer.WORKLOAD_FIELDS), view(old.WORKLOAD_FIELDS));
    assert.deepStrictEqual(
      JSON.stringify(newer.WORKLOAD_SCHEMA),
      JSON.stringify(old.WORKLOAD_SCHEMA),
    );
  });
});
