/**
 * The plan per secret, and property tests over random rotation histories: whatever the
 * order of rotations and rollbacks, no version is pruned early or declared again once pruned.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import {
  DAY_MS,
  classifyVersions,
  formatVersionId,
  isLive,
  SecretPlan,
  planSecret,
  readMemory,
  secretsOutput,
  versionIdToDate,
} from "../plan/lifecycle";

const at = (id: string) => versionIdToDate(id);

describe("the plan of a secret", () => {
  const input = {
    name: "auth-api-secrets",
    environment: "production",
    versioned: true,
    active: "20250723000000",
    versions: ["20250701000000", "20250715000000", "20250601000000", "20250723000000"],
    retentionDays: 14,
    now: at("20250801000000"),
  };

  it("declares every version that is not expired, with both names", () => {
    const plan = planSecret(input);
    assert.deepEqual(plan.declared, ["20250715000000", "20250723000000"]);
    assert.deepEqual(
      plan.expired.map((v) => v.version),
      ["20250601000000", "20250701000000"],
    );
    assert.equal(plan.activeName, "auth-api-secrets-20250723000000");
    assert.equal(plan.previousVersion, "20250715000000");
    assert.deepEqual(plan.versions[3], {
      version: "20250723000000",
      state: "active",
      delivery: "direct",
      kubernetesName: "auth-api-secrets-20250723000000",
      awsName: "production/auth-api-secrets-20250723000000",
      activatedAt: input.now.toISOString(),
      firstActivatedAt: input.now.toISOString(),
    });
    assert.equal(plan.versions[0].prunedAt, input.now.toISOString(), "remembered as pruned");
  });

  it("in dev declares only the active version, unversioned", () => {
    const plan = planSecret({ ...input, environment: "dev", versioned: false });
    assert.deepEqual(plan.declared, ["20250723000000"]);
    assert.deepEqual(plan.expired, []);
    assert.equal(plan.activeName, "auth-api-secrets");
    assert.deepEqual(
      plan.versions.map((v) => [v.version, v.kubernetesName, v.awsName]),
      [["20250723000000", "auth-api-secrets", "dev/auth-api-secrets"]],
    );
  });
});

/**
 * Random histories of the runbook: create a version ahead, activate the newest, roll back,
 * pin, and let time pass. After every step the state table must keep what a rollback or a
 * consumer may still need.
 */
describe("random rotation histories", () => {
  type Step =
    | { op: "create" }
    | { op: "activate" }
    | { op: "rollback" }
    | { op: "pin"; pick: number }
    | { op: "wait"; hours: number };

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constant<Step>({ op: "create" }),
    fc.constant<Step>({ op: "activate" }),
    fc.constant<Step>({ op: "rollback" }),
    fc.record({ op: fc.constant("pin" as const), pick: fc.nat() }),
    fc.record({ op: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 24 * 40 }) }),
  );

  interface World {
    now: Date;
    versions: string[];
    active: string;
    keep: string[];
  }

  function apply(world: World, s: Step): void {
    const sorted = [...world.versions].sort();
    switch (s.op) {
      case "create": {
        const id = formatVersionId(world.now);
        if (!world.versions.includes(id)) world.versions.push(id);
        break;
      }
      case "activate":
        world.active = sorted[sorted.length - 1];
        break;
      case "rollback": {
        const older = sorted.filter((v) => v < world.active);
        if (older.length > 0) world.active = older[older.length - 1];
        break;
      }
      case "pin":
        world.keep.push(sorted[s.pick % sorted.length]);
        break;
      case "wait":
        world.now = new Date(world.now.getTime() + s.hours * 3_600_000);
        break;
    }
  }

  const histories = fc.record({
    retentionDays: fc.integer({ min: 1, max: 30 }),
    steps: fc.array(step, { maxLength: 60 }),
  });

  /**
   * Replays a history from one version as successive updates: each plan reads the outputs of
   * the one before (the program's memory), as `pulumi up` does. A step the program would
   * refuse (pinning or rolling back to a pruned version) is not taken.
   */
  function replay(
    { retentionDays, steps }: { retentionDays: number; steps: Step[] },
    check: (world: World, plan: SecretPlan, before: SecretPlan) => void,
  ): void {
    const start = at("20250101000000");
    const first = formatVersionId(start);
    const world: World = { now: start, versions: [first], active: first, keep: [] };
    const planAt = (previous?: SecretPlan) =>
      planSecret({
        name: "s",
        environment: "staging",
        versioned: true,
        ...world,
        retentionDays,
        ...(previous && { memory: readMemory(secretsOutput([previous]))!.s }),
      });
    let plan = planAt();
    for (const s of steps) {
      const pruned = new Set(plan.versions.filter((v) => !isLive(v.state)).map((v) => v.version));
      const next = { ...world, versions: [...world.versions], keep: [...world.keep] };
      apply(next, s);
      if (pruned.has(next.active) || next.keep.some((v) => pruned.has(v))) continue;
      Object.assign(world, next);
      const before = plan;
      plan = planAt(before);
      check(world, plan, before);
    }
  }

  it("never prunes the active, previous, pending or pinned version, nor one superseded less than the retention ago", () => {
    fc.assert(
      fc.property(histories, (history) =>
        replay(history, (world, plan, before) => {
          for (const report of plan.versions.filter((v) => v.state === "expired")) {
            const protectedVersion =
              report.version === world.active ||
              report.version === plan.previousVersion ||
              report.version > world.active ||
              world.keep.includes(report.version);
            assert.ok(!protectedVersion, `${report.version} was pruned but is protected`);
            const superseded = Date.parse(report.expiresAt!) - history.retentionDays * DAY_MS;
            assert.ok(world.now.getTime() - superseded >= history.retentionDays * DAY_MS);
            // Right after a change, the version active before it is kept.
            assert.notEqual(report.version, before.activeVersion, "the version active before");
          }
        }),
      ),
    );
  });

  it("never declares a pruned version again, whatever the history", () => {
    fc.assert(
      fc.property(histories, (history) => {
        const gone = new Set<string>();
        replay(history, (_world, plan) => {
          for (const v of gone) assert.ok(!plan.declared.includes(v), `${v} came back`);
          for (const v of plan.versions) if (!isLive(v.state)) gone.add(v.version);
        });
      }),
    );
  });

  it("keeps the version active before a change for at least the retention after that change", () => {
    fc.assert(
      fc.property(histories, (history) => {
        const changes = new Map<string, Date>();
        replay(history, (world, plan, before) => {
          if (before.activeVersion !== world.active) changes.set(before.activeVersion, world.now);
          if (plan.activeVersion === world.active) changes.delete(world.active);
          for (const [version, at] of changes) {
            if (world.now.getTime() - at.getTime() < history.retentionDays * DAY_MS) {
              assert.ok(plan.declared.includes(version), `${version} pruned within its window`);
            }
          }
        });
      }),
    );
  });

  it("keeps live versions bounded: each retained version was superseded within the retention", () => {
    fc.assert(
      fc.property(histories, (history) =>
        replay(history, (world, plan) => {
          for (const v of plan.versions.filter((r) => r.state === "retained")) {
            assert.ok(Date.parse(v.expiresAt!) > world.now.getTime());
            assert.ok(
              Date.parse(v.expiresAt!) - world.now.getTime() <= history.retentionDays * DAY_MS,
            );
          }
        }),
      ),
    );
  });

  it("once expired, a version stays expired as time passes", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 400 * 24 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 24 * 60 }), { maxLength: 10 }),
        (offsets, retentionDays, waits) => {
          const versions = offsets.map((h) =>
            formatVersionId(new Date(at("20250101000000").getTime() + h * 3_600_000)),
          );
          const active = [...versions].sort().pop()!;
          let now = at(active);
          let expired = new Set<string>();
          for (const w of waits) {
            now = new Date(now.getTime() + w * 3_600_000);
            const current = new Set(
              classifyVersions({ versions, active, retentionDays, now })
                .filter((s) => s.state === "expired")
                .map((s) => s.version),
            );
            for (const v of expired) assert.ok(current.has(v), `${v} came back`);
            expired = current;
          }
        },
      ),
    );
  });
});
