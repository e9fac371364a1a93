/**
 * The guard's promise over random histories: a stack updated again and again, with rotations,
 * rollbacks, pins, canaries, random referrers in the cluster and a cluster that sometimes
 * cannot be read. Each update runs the program's own planning (`parseStackConfig`, then
 * `planStack` with the previous update's `secrets` output as memory), so no rule is restated.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { parseStackConfig } from "../config/parse";
import type { GuardFacts } from "../plan/guard/guard";
import { secretsOutput } from "../plan/lifecycle/outputs";
import { isLive } from "../plan/lifecycle/states";
import { formatVersionId } from "../core/versionId";
import { readPrevious } from "../plan/lifecycle/memory";
import { planStack } from "../program/planStack";

const SECRET = "api";
const HOUR = 3600 * 1000;

interface Step {
  /** Hours after the newest version that a new one is created; null: no new version. */
  newVersionAfter: number | null;
  /** Which non-pruned version becomes active (index, modulo). */
  activePick: number;
  /** A version to pin (index, modulo), or null. */
  pinPick: number | null;
  /** A version to canary (index, modulo), or null. */
  canaryPick: number | null;
  /** Which versions something in the cluster references (indexes, modulo). */
  referrers: number[];
  /** The cluster cannot be read in this update. */
  unreadable: boolean;
  /** Days the clock moves on after the newest version. */
  days: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  newVersionAfter: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
  activePick: fc.nat(),
  pinPick: fc.option(fc.nat(), { nil: null, freq: 4 }),
  canaryPick: fc.option(fc.nat(), { nil: null, freq: 3 }),
  referrers: fc.array(fc.nat(), { maxLength: 3 }),
  unreadable: fc.boolean(),
  days: fc.integer({ min: 0, max: 30 }),
});

describe("reference guard: properties over random histories", () => {
  it("never prunes what is referenced, active, canary, pending, pinned or in its window; never revives; stays bounded", () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 2, maxLength: 10 }),
        fc.integer({ min: 1, max: 10 }),
        (steps, retentionDays) => {
          let newest = Date.UTC(2025, 0, 1);
          let now = newest;
          const ids = [formatVersionId(new Date(newest))];
          let previous: unknown;
          const gone = new Set<string>();
          for (const s of steps) {
            if (s.newVersionAfter !== null) {
              newest += s.newVersionAfter * HOUR;
              ids.push(formatVersionId(new Date(newest)));
            }
            now = Math.max(now, newest) + s.days * 24 * HOUR;
            const candidates = ids.filter((id) => !gone.has(id));
            const active = candidates[s.activePick % candidates.length];
            const others = candidates.filter((id) => id !== active);
            const keep =
              s.pinPick === null ? [] : [ids[s.pinPick % ids.length]].filter((id) => !gone.has(id));
            const canary =
              s.canaryPick === null || others.length === 0
                ? undefined
                : others[s.canaryPick % others.length];
            const referenced = new Set(s.referrers.map((i) => ids[i % ids.length]));
            const raw = {
              retentionDays,
              secrets: {
                [SECRET]: {
                  active,
                  keep,
                  ...(canary && { canary: { version: canary, percent: 50 } }),
                  versions: Object.fromEntries(ids.map((id) => [id, { token: `t-${id}` }])),
                },
              },
              workloads: {
                web: { kind: "Deployment", image: "example/web:1", replicas: 2, secrets: [SECRET] },
              },
            };
            const clock = new Date(now);
            const config = parseStackConfig(raw, { stack: "staging", now: clock }, (v) => v);
            const guard: GuardFacts = {
              aws: { status: "read", value: {} },
              kubernetes: s.unreadable
                ? { status: "unavailable", reason: "unreachable" }
                : {
                    status: "read",
                    value: new Map(
                      [...referenced].map((id) => [
                        `${SECRET}-${id}`,
                        [{ kind: "Pod" as const, namespace: "x", name: `p-${id}` }],
                      ]),
                    ),
                  },
            };
            const { secrets } = planStack(
              config,
              {
                ...(previous !== undefined && { previous: readPrevious({ secrets: previous }) }),
                guard,
              },
              clock,
            );
            const plan = secrets[0];
            const before = previous as
              Record<string, { versions: { version: string; state: string }[] }> | undefined;
            const liveBefore = new Set(
              (before?.[SECRET].versions ?? [])
                .filter((v) => isLive(v.state as never))
                .map((v) => v.version),
            );
            let retainedOrPrevious = 0;
            for (const v of plan.versions) {
              if (gone.has(v.version))
                assert.equal(v.state, "pruned", `${v.version} came back as ${v.state}`);
              if (v.state === "expired") {
                assert.ok(v.version !== active && v.version !== canary, "active or canary pruned");
                assert.ok(v.version < active, "pending pruned");
                assert.ok(!keep.includes(v.version), "pinned pruned");
                assert.ok(s.unreadable || !referenced.has(v.version), "referenced pruned");
                assert.ok(Date.parse(v.expiresAt!) <= now, "pruned within its window");
                assert.ok(
                  !(s.unreadable && liveBefore.has(v.version)),
                  "pruned while the cluster could not be read",
                );
              }
              if (v.state === "referenced") {
                assert.ok(referenced.has(v.version) || s.unreadable, "held without a reason");
              }
              if (v.state === "retained")
                assert.ok(Date.parse(v.expiresAt!) > now, "retained past its window");
              if (v.state === "retained" || v.state === "previous") retainedOrPrevious += 1;
            }
            // Bounded: beyond what is in use (active, canary, pending, pinned, referenced), only
            // the rollback target and versions still inside their retention window are live.
            const superseded = plan.versions.filter((v) => v.state === "retained").length;
            assert.ok(retainedOrPrevious <= superseded + 1);
            for (const v of plan.versions) if (!isLive(v.state)) gone.add(v.version);
            previous = secretsOutput(secrets);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
