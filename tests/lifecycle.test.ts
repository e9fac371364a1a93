/**
 * The lifecycle decisions, without Pulumi: version ids, the clock and the state table
 * (the plan per secret and random histories: tests/lifecycleHistories.test.ts).
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import {
  VersionState,
  classifyVersions,
  formatVersionId,
  resolveNow,
  versionIdProblem,
  versionIdToDate,
} from "../plan/lifecycle";

const at = (id: string) => versionIdToDate(id);
const statesOf = (...args: Parameters<typeof classifyVersions>) =>
  Object.fromEntries(classifyVersions(...args).map((s) => [s.version, s.state]));

describe("version ids", () => {
  const now = at("20250801000000");

  it("accepts a real UTC date-time up to five minutes ahead", () => {
    assert.equal(versionIdProblem("20250723110000", now), undefined);
    assert.equal(versionIdProblem("20250801000459", now), undefined);
    assert.equal(versionIdProblem("20240229235959", now), undefined, "a leap day");
  });

  for (const [id, why] of [
    ["2025072311000", "14 digits"],
    ["2025-07-23T11", "14 digits"],
    ["20251340110000", "not a real UTC date-time"],
    ["20250230110000", "not a real UTC date-time"],
    ["20230229110000", "not a real UTC date-time"],
    ["20250723240000", "not a real UTC date-time"],
    ["20250723116000", "not a real UTC date-time"],
    ["20250801000501", "in the future"],
  ]) {
    it(`refuses ${id} (${why})`, () => {
      assert.match(versionIdProblem(id, now) ?? "", new RegExp(why));
    });
  }

  it("round-trips between ids and times", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1970-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }),
        (d) => {
          const id = formatVersionId(d);
          assert.equal(id.length, 14);
          assert.equal(versionIdToDate(id).getTime(), Math.floor(d.getTime() / 1000) * 1000);
        },
      ),
    );
  });
});

describe("the clock", () => {
  const system = new Date("2030-01-01T00:00:00Z");

  it("is the system time unless ROTATION_NOW is set", () => {
    assert.equal(resolveNow(undefined, system), system);
    assert.equal(resolveNow("  ", system), system);
  });

  it("reads a version-style timestamp or an ISO date, in UTC", () => {
    assert.equal(resolveNow("20250801120000", system).toISOString(), "2025-08-01T12:00:00.000Z");
    assert.equal(resolveNow("2025-08-01", system).toISOString(), "2025-08-01T00:00:00.000Z");
    assert.equal(resolveNow("2025-08-01T12:30", system).toISOString(), "2025-08-01T12:30:00.000Z");
    assert.equal(
      resolveNow("2025-08-01T12:30:00+02:00", system).toISOString(),
      "2025-08-01T10:30:00.000Z",
    );
  });

  it("refuses anything else, naming the variable and the forms allowed", () => {
    for (const bad of ["tomorrow", "20251340000000", "2025-13-45", "1722470400"]) {
      assert.throws(
        () => resolveNow(bad, system),
        /ROTATION_NOW=.*(YYYYMMDDHHMMSS|ISO date|real UTC)/,
      );
    }
  });
});

describe("version states", () => {
  const versions = ["20250601000000", "20250701000000", "20250715000000", "20250723000000"];
  const base = { versions, active: "20250723000000", retentionDays: 14 };

  const cases: Array<{
    name: string;
    policy: Partial<Parameters<typeof classifyVersions>[0]>;
    now: string;
    want: VersionState[];
  }> = [
    {
      name: "newest active: previous kept, older retained while its successor is young",
      policy: {},
      now: "20250720000000",
      want: ["expired", "retained", "previous", "active"],
    },
    {
      name: "a version expires once its successor is as old as the retention",
      policy: {},
      now: "20250729000000",
      want: ["expired", "expired", "previous", "active"],
    },
    {
      name: "one second before that it is still retained",
      policy: {},
      now: "20250728235959",
      want: ["expired", "retained", "previous", "active"],
    },
    {
      name: "previous is kept whatever its age",
      policy: {},
      now: "20300101000000",
      want: ["expired", "expired", "previous", "active"],
    },
    {
      name: "rolled back, without memory: newer versions are pending, the one before active is previous, kept (as the guard keeps what it cannot check)",
      policy: { active: "20250701000000" },
      now: "20300101000000",
      want: ["previous", "active", "pending", "pending"],
    },
    {
      name: "rolled back, without memory, AWS showing it gone: the one before active follows its expiry (declaring it would revive it)",
      policy: { active: "20250701000000", goneFromAws: new Set(["20250601000000"]) },
      now: "20300101000000",
      want: ["expired", "active", "pending", "pending"],
    },
    {
      name: "created ahead, without memory: the rollback target stays previous, however old (issue 17)",
      policy: { versions: [...versions, "20250801000000"] },
      now: "20300101000000",
      want: ["expired", "expired", "previous", "active", "pending"],
    },
    {
      name: "created ahead, without memory, AWS listing it: the rollback target stays previous",
      policy: {
        versions: [...versions, "20250801000000"],
        goneFromAws: new Set(["20250601000000", "20250701000000"]),
      },
      now: "20300101000000",
      want: ["expired", "expired", "previous", "active", "pending"],
    },
    {
      name: "rolled back, with memory: the one before active is previous, kept",
      policy: { active: "20250701000000", history: {} },
      now: "20300101000000",
      want: ["previous", "active", "pending", "pending"],
    },
    {
      name: "a version an earlier update pruned stays pruned, even as the rollback target",
      policy: {
        active: "20250701000000",
        history: { "20250601000000": { prunedAt: "2025-08-01T00:00:00Z" } },
      },
      now: "20300101000000",
      want: ["pruned", "active", "pending", "pending"],
    },
    {
      name: "pinned versions are never pruned",
      policy: { keep: ["20250601000000"] },
      now: "20300101000000",
      want: ["pinned", "expired", "previous", "active"],
    },
    {
      name: "a canary is kept, and a pending canary shows as canary",
      policy: { active: "20250701000000", canary: "20250723000000", history: {} },
      now: "20300101000000",
      want: ["previous", "active", "pending", "canary"],
    },
    {
      name: "a per-secret retention changes when versions expire",
      policy: { retentionDays: 35 },
      now: "20250801000000",
      want: ["retained", "retained", "previous", "active"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const states = statesOf({ ...base, ...c.policy, now: at(c.now) });
      assert.deepEqual(Object.values(states), c.want);
    });
  }

  it("gives the expiry date of retained and expired versions: successor time plus retention", () => {
    const statuses = classifyVersions({ ...base, now: at("20250720000000") });
    assert.equal(statuses[1].expiresAt?.toISOString(), "2025-07-29T00:00:00.000Z");
    assert.equal(statuses[0].expiresAt?.toISOString(), "2025-07-15T00:00:00.000Z");
    assert.equal(statuses[2].expiresAt, undefined, "previous never expires");
  });

  it("a single version is active and nothing else", () => {
    assert.deepEqual(
      statesOf({
        versions: ["20250601000000"],
        active: "20250601000000",
        retentionDays: 1,
        now: at("20300101000000"),
      }),
      {
        "20250601000000": "active",
      },
    );
  });
});
