/** TEMPORARY (issue 18): old hand-written section parsers against the zod ones. */
import { strict as assert } from "assert";
import fc from "fast-check";
import { Problems } from "../../config/contract/kernel";
import { parseMonitor } from "../../config/contract/monitor";
import { parseMonitor as oldMonitor } from "./oldMonitor";
import { parseGuard } from "../../config/contract/guard";
import { parsePromotion } from "../../config/contract/promotion";
import { parsePromotion as oldPromotion } from "./oldPromotion";
import { parseCanary } from "../../config/contract/canary";
import { parseCanary as oldCanary } from "./oldCanary";
import { parseGuard as oldGuard } from "./oldGuard";

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

export function objectOf(fields: Record<string, fc.Arbitrary<unknown>>) {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(fc.constantFrom("__proto__", "knd", "constructor", "x", "A"), junk, {
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

export function same(
  newer: (p: Problems, path: string, v: unknown) => unknown,
  older: (p: Problems, path: string, v: unknown) => unknown,
  arb: fc.Arbitrary<unknown>,
) {
  fc.assert(
    fc.property(arb, (v) => {
      const a = new Problems();
      const b = new Problems();
      const ra = newer(a, "secrets.s.monitor", v);
      const rb = older(b, "secrets.s.monitor", v);
      assert.deepEqual(a.list, b.list, JSON.stringify(v));
      if (b.list.length === 0)
        assert.deepEqual(
          JSON.parse(JSON.stringify(ra ?? null)),
          JSON.parse(JSON.stringify(rb ?? null)),
        );
    }),
    { numRuns: 3000 },
  );
}

describe("differential (temporary): zod sections against the old parsers", () => {
  it("monitor", () => {
    const arb = fc.oneof(
      junk,
      objectOf({
        namespace: fc.oneof(fc.constantFrom("AWS/ELB", ":x", " ", "é".repeat(200)), junk),
        metricName: fc.oneof(fc.constant("M"), junk),
        dimensions: fc.oneof(
          fc.dictionary(
            fc.constantFrom("__proto__", "A", "b", " ", ":c", "é", "constructor"),
            fc.oneof(fc.constantFrom("v", " ", 3, true, null, "é"), junk),
          ),
          junk,
        ),
        statistic: fc.oneof(fc.constantFrom("Sum", "Average"), junk),
        threshold: fc.oneof(fc.constantFrom(1, "2.5", " ", "x"), junk),
        comparisonOperator: fc.oneof(fc.constant("LessThanThreshold"), junk),
        period: fc.oneof(fc.constantFrom(10, 60, 45, "60", " 120 ", 3600, 86400), junk),
        evaluationPeriods: fc.oneof(fc.constantFrom(1, 2, "3", 5000, 200), junk),
        datapointsToAlarm: fc.oneof(fc.constantFrom(1, 2, "1", 0), junk),
        treatMissingData: fc.oneof(fc.constant("missing"), junk),
        alarmActions: fc.oneof(
          fc.constantFrom(
            [],
            ["arn:aws:sns:eu-west-1:123456789012:t"],
            ["x"],
            Array(6).fill("arn:aws:sns:eu-west-1:123456789012:t"),
          ),
          junk,
        ),
        okActions: fc.oneof(fc.constantFrom([], ["arn:aws:sns:eu-west-1:123456789012:t"]), junk),
      }),
    );
    same(parseMonitor, oldMonitor, arb);
  });

  it("guard", () => {
    const arb = fc.oneof(
      junk,
      objectOf({
        kubernetes: fc.oneof(fc.constantFrom(true, false, "true", "false", "yes"), junk),
        aws: fc.oneof(fc.constantFrom(true, false, "true", "false"), junk),
        namespaces: fc.oneof(fc.constantFrom([], ["a", "b", "a"], ["A_"], "x"), junk),
        awsReadWithinDays: fc.oneof(fc.constantFrom(1, 365, 366, " 7 ", "0", "", 2.5), junk),
      }),
    );
    same(parseGuard, oldGuard, arb);
  });

  it("canary", () => {
    const arb = fc.tuple(
      fc.oneof(
        junk,
        objectOf({
          version: fc.oneof(
            fc.constantFrom("20250101000000", 20250102000000, "20250103000000", "x"),
            junk,
          ),
          percent: fc.oneof(fc.constantFrom(1, 100, 0, 101, " 50 ", "", 33.3), junk),
        }),
      ),
      fc.constantFrom("dev", "staging"),
      fc.constantFrom(undefined, "20250101000000", "20250102000000"),
    );
    fc.assert(
      fc.property(arb, ([v, environment, active]) => {
        const ctx = { ids: ["20250101000000", "20250102000000"], active, environment };
        const a = new Problems();
        const b = new Problems();
        const ra = parseCanary(a, "secrets.s.canary", v, ctx);
        const rb = oldCanary(b, "secrets.s.canary", v, ctx);
        assert.deepEqual(a.list, b.list, JSON.stringify(v));
        if (b.list.length === 0) assert.deepEqual(ra, rb);
      }),
      { numRuns: 3000 },
    );
  });

  it("promotion", () => {
    const entry = fc.oneof(
      junk,
      objectOf({
        version: fc.oneof(
          fc.constantFrom("20250101000000", 20250102000000, "20250109000000"),
          junk,
        ),
        reason: fc.oneof(fc.constantFrom("hotfix", " ", ""), junk),
      }),
    );
    const arb = fc.oneof(
      junk,
      objectOf({
        fromStack: fc.oneof(fc.constantFrom("o/p/staging", "o/p/production", "x", "a/b/c/d"), junk),
        soakHours: fc.oneof(fc.constantFrom(0, 24, 8760, 8761, " 5 ", "", -1), junk),
        override: fc.oneof(
          fc.dictionary(fc.constantFrom("api", "db", "__proto__", "constructor", "A"), entry, {
            maxKeys: 3,
          }),
          junk,
        ),
      }),
    );
    const secrets = [
      { name: "api", versions: [{ id: "20250101000000" }, { id: "20250102000000" }] },
    ] as never[];
    const names = new Set(["api", "constructor"]);
    fc.assert(
      fc.property(arb, (v) => {
        const a = new Problems();
        const b = new Problems();
        const ra = parsePromotion(a, "promotion", v, "production", secrets, names);
        const rb = oldPromotion(b, "promotion", v, "production", secrets, names);
        assert.deepEqual(a.list, b.list, JSON.stringify(v));
        if (b.list.length === 0) assert.deepEqual(ra, rb);
      }),
      { numRuns: 3000 },
    );
  });
});
