/** TEMPORARY (issue 18): old container parsers against the zod ones. */
import { strict as assert } from "assert";
import fc from "fast-check";
import { Problems } from "../../config/contract/kernel";
import { parseResources, parseRollout } from "../../config/contract/container";
import * as old from "../../config/contract/containerOld";

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

function objectOf(fields: Record<string, fc.Arbitrary<unknown>>) {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(fc.constantFrom("__proto__", "knd", "constructor", "cpu", "x", "A"), junk, {
        maxKeys: 2,
      }),
    )
    .map(([known, extra]) => {
      const out = JSON.parse(JSON.stringify({ ...known }, (_k, v) => (v === undefined ? null : v)));
      for (const [k, v] of Object.entries(extra))
        Object.defineProperty(out, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out as unknown;
    });
}

function same(
  newer: (p: Problems, path: string, v: unknown) => unknown,
  older: (p: Problems, path: string, v: unknown) => unknown,
  arb: fc.Arbitrary<unknown>,
) {
  fc.assert(
    fc.property(arb, (v) => {
      const a = new Problems();
      const b = new Problems();
      const ra = newer(a, "workloads.w.x", v);
      const rb = older(b, "workloads.w.x", v);
      assert.deepEqual(a.list, b.list, JSON.stringify(v));
      assert.deepEqual(
        JSON.parse(JSON.stringify(ra ?? null)),
        JSON.parse(JSON.stringify(rb ?? null)),
      );
    }),
    { numRuns: 3000 },
  );
}

const intOrPercent = fc.oneof(
  fc.constantFrom(
    0,
    1,
    2147483647,
    2147483648,
    -1,
    "0%",
    "00%",
    "100%",
    "101%",
    "150%",
    "25%",
    "x%",
    1.5,
  ),
  junk,
);
const quantity = fc.oneof(
  fc.constantFrom("100m", "1", "2Gi", "500Mi", "0.5", 1, 2, "1e3", "bad", "", true, "1.5Gi", "3"),
  junk,
);
const quantities = fc.oneof(
  objectOf({ cpu: quantity, memory: quantity, "ephemeral-storage": quantity, cpux: quantity }),
  junk,
);

describe("differential (temporary): container on zod against the old parsers", () => {
  it("rollout", () => {
    same(
      parseRollout,
      old.parseRollout,
      fc.oneof(objectOf({ maxUnavailable: intOrPercent, maxSurge: intOrPercent }), junk),
    );
  });
  it("resources", () => {
    same(
      parseResources,
      old.parseResources,
      fc.oneof(objectOf({ requests: quantities, limits: quantities, request: junk }), junk),
    );
  });
  it("contracts", () => {
    assert.deepEqual(
      JSON.parse(
        JSON.stringify(
          Object.fromEntries(
            Object.entries(old.ROLLOUT_FIELDS).map(([k, f]) => [
              k,
              [f.presence, f.defaultText, f.doc],
            ]),
          ),
        ),
      ),
      JSON.parse(
        JSON.stringify(
          Object.fromEntries(
            Object.entries(
              (require("../../config/contract/container") as typeof old).ROLLOUT_FIELDS,
            ).map(([k, f]) => [k, [f.presence, f.defaultText, f.doc]]),
          ),
        ),
      ),
    );
    assert.deepEqual(
      Object.entries(old.RESOURCES_FIELDS).map(([k, f]) => [k, f.presence, f.defaultText, f.doc]),
      Object.entries(
        (require("../../config/contract/container") as typeof old).RESOURCES_FIELDS,
      ).map(([k, f]) => [k, f.presence, f.defaultText, f.doc]),
    );
  });
});
