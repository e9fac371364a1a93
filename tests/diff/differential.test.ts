/** TEMPORARY (issue 18): old hand-written section parsers against the zod ones. */
import { strict as assert } from "assert";
import fc from "fast-check";
import { Problems } from "../../config/contract/kernel";
import { parseMonitor } from "../../config/contract/monitor";
import { parseMonitor as oldMonitor } from "./oldMonitor";

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
});
