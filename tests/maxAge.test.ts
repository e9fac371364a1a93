/**
 * The maximum age decision (plan/lifecycle/maxAge.ts): when the active version is overdue, what
 * its age counts from (the memory's activation, else its id), and the stored format of the
 * `secrets` output's mark, which an older output without it still reads.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { overdueOf, rememberedActivation } from "../plan/lifecycle/maxAge";
import { DAY_MS, readMemory, versionIdToDate } from "../plan/lifecycle";
import { storedSecret } from "../plan/lifecycle/stored";

const ID = "20250101000000";
const CREATED = versionIdToDate(ID).getTime();
const at = (ms: number) => new Date(ms);

/** A time between 2000 and 2100, to the millisecond. */
const time = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
const maxAge = fc.integer({ min: 1, max: 3650 });

describe("maxAgeDays: when the active version is overdue", () => {
  it("is overdue once more than maxAgeDays have passed since its id, to the millisecond", () => {
    const due = CREATED + 90 * DAY_MS;
    assert.equal(overdueOf({ active: ID, maxAgeDays: 90, now: at(due) }), undefined);
    assert.deepEqual(overdueOf({ active: ID, maxAgeDays: 90, now: at(due + 1) }), {
      since: "2025-01-01T00:00:00.000Z",
      ageDays: 90,
      maxAgeDays: 90,
      dueAt: "2025-04-01T00:00:00.000Z",
      from: "id",
      ageTenths: 900,
    });
    const later = overdueOf({ active: ID, maxAgeDays: 90, now: at(CREATED + 120.5 * DAY_MS) });
    assert.equal(later?.ageDays, 120);
    assert.equal(later?.ageTenths, 1205);
  });

  it("counts from the activation the memory records, not from the id", () => {
    // Created on 1 January, activated on 1 June: 30 days active on 1 July, not 181.
    const june = "2025-06-01T00:00:00.000Z";
    const july = at(Date.UTC(2025, 6, 1));
    assert.equal(
      overdueOf({ active: ID, maxAgeDays: 60, activatedAt: june, now: july }),
      undefined,
    );
    assert.equal(overdueOf({ active: ID, maxAgeDays: 60, now: july })?.ageDays, 181);
    const o = overdueOf({ active: ID, maxAgeDays: 20, activatedAt: june, now: july });
    assert.deepEqual(o, {
      since: june,
      ageDays: 30,
      maxAgeDays: 20,
      dueAt: "2025-06-21T00:00:00.000Z",
      from: "activation",
      ageTenths: 300,
    });
  });

  it("properties: never overdue when off; overdue iff older than maxAgeDays; memory wins", () => {
    fc.assert(
      fc.property(
        time,
        fc.option(time, { nil: undefined }),
        fc.option(maxAge, { nil: undefined }),
        fc.integer({ min: -10 * DAY_MS, max: 4000 * DAY_MS }),
        (created, activated, maxAgeDays, elapsed) => {
          const active = new Date(created).toISOString().replace(/\D/g, "").slice(0, 14);
          const since = activated ?? versionIdToDate(active).getTime();
          const now = at(since + elapsed);
          const activatedAt = activated === undefined ? undefined : at(activated).toISOString();
          const o = overdueOf({
            active,
            ...(maxAgeDays !== undefined && { maxAgeDays }),
            ...(activatedAt !== undefined && { activatedAt }),
            now,
          });
          if (maxAgeDays === undefined) return o === undefined;
          if ((o !== undefined) !== elapsed > maxAgeDays * DAY_MS) return false;
          if (o === undefined) return true;
          return (
            o.since === at(since).toISOString() &&
            o.from === (activated === undefined ? "id" : "activation") &&
            o.ageDays >= maxAgeDays &&
            o.ageDays === Math.floor(elapsed / DAY_MS) &&
            o.ageTenths === Math.floor((elapsed * 10) / DAY_MS) &&
            Date.parse(o.dueAt) === since + maxAgeDays * DAY_MS
          );
        },
      ),
    );
  });

  it("takes the first activation from memory, so a rollback does not make a credential younger", () => {
    const now = at(Date.UTC(2025, 9, 1));
    const memory = (activeVersion: string) => ({
      activeVersion,
      versions: {
        [ID]: {
          activatedAt: "2025-08-01T00:00:00.000Z",
          firstActivatedAt: "2025-01-02T00:00:00.000Z",
        },
        "20250301000000": { activatedAt: "2025-03-01T00:00:00.000Z" },
      },
    });
    // Still active, or rolled back to: the first activation.
    assert.equal(rememberedActivation(memory(ID), ID, now), "2025-01-02T00:00:00.000Z");
    assert.equal(
      rememberedActivation(memory("20250301000000"), ID, now),
      "2025-01-02T00:00:00.000Z",
    );
    // Memory written before firstActivatedAt existed: the activation it has.
    assert.equal(
      rememberedActivation(memory(ID), "20250301000000", now),
      "2025-03-01T00:00:00.000Z",
    );
  });

  it("a version this update activates is new; without memory, or without a time for it, its id counts", () => {
    const now = at(Date.UTC(2025, 9, 1));
    const memory = { activeVersion: "20250301000000", versions: { "20250301000000": {} } };
    assert.equal(rememberedActivation(memory, ID, now), now.toISOString());
    assert.equal(rememberedActivation(memory, "20250301000000", now), undefined);
    assert.equal(rememberedActivation(undefined, ID, now), undefined);
    // So a promotion clears the mark at once, and a secret never remembered counts its id.
    assert.equal(
      overdueOf({ active: ID, maxAgeDays: 1, activatedAt: now.toISOString(), now }),
      undefined,
    );
  });
});

describe("maxAgeDays: the secrets output's mark, stored", () => {
  const secret = (mark?: object) => ({
    delivery: "direct",
    activeVersion: ID,
    activeName: `auth-api-secrets-${ID}`,
    previousVersion: null,
    canary: null,
    keys: ["api_token"],
    versions: [
      {
        version: ID,
        state: "active",
        delivery: "direct",
        kubernetesName: `auth-api-secrets-${ID}`,
        awsName: `staging/auth-api-secrets-${ID}`,
        activatedAt: "2025-01-02T00:00:00.000Z",
        ...(mark && { overdue: mark }),
      },
    ],
  });
  const mark = {
    since: "2025-01-02T00:00:00.000Z",
    ageDays: 120,
    maxAgeDays: 90,
    dueAt: "2025-04-02T00:00:00.000Z",
  };

  it("an output from before the mark, and one with it, both read; the memory is the same", () => {
    assert.ok(storedSecret.safeParse(secret()).success);
    assert.ok(storedSecret.safeParse(secret(mark)).success);
    assert.ok(!storedSecret.safeParse(secret({ ...mark, dueAt: "soon" })).success);
    assert.deepEqual(
      readMemory({ "auth-api-secrets": secret(mark) }),
      readMemory({ "auth-api-secrets": secret() }),
    );
  });
});
