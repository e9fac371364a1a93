/**
 * The slot decision of a blueGreen workload (plan/workloads/blueGreen.ts), tested directly:
 * a table of the updates the issue names, then properties over random memories and histories.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import type { Slot } from "../core/names";
import {
  type BlueGreenDecision,
  type BlueGreenInput,
  type SlotsMemory,
  decideSlots,
  heldVersions,
} from "../plan/workloads/blueGreen";

const T0 = new Date("2025-07-23T11:00:00Z");
const hours = (h: number) => new Date(T0.getTime() + h * 3600 * 1000);
const A = "20250715100000";
const B = "20250723110000";
const C = "20250801090000";

/** The memory the next update reads: what this decision declared, as if it all ran. */
const memoryOf = (d: BlueGreenDecision): SlotsMemory => ({
  live: d.live,
  slots: { blue: { ...d.slots.blue }, green: { ...d.slots.green } },
  ...(d.switchedAt && { switchedAt: d.switchedAt }),
});

const base = { replicas: 3, warmHours: 24 };
/** Blue served A until a promotion to B switched to green at T0; blue is warm until T0+24h. */
const afterPromotion: SlotsMemory = {
  live: "green",
  slots: { blue: { version: A, replicas: 3 }, green: { version: B, replicas: 3 } },
  switchedAt: T0,
};

describe("blue-green slots: the decision (plan/workloads/blueGreen.ts decideSlots)", () => {
  it("first update: blue runs the version at replicas, green runs no pods", () => {
    const d = decideSlots({ ...base, version: B, now: T0 });
    assert.equal(d.change, "first");
    assert.equal(d.live, "blue");
    assert.deepEqual(d.slots, {
      blue: { version: B, replicas: 3 },
      green: { version: B, replicas: 0 },
    });
    assert.equal(d.warm, undefined);
    assert.equal(d.switchedAt, undefined);
  });

  it("promotion: the idle slot is rolled to the new version; the old one is left as it was, warm until warmHours after the switch", () => {
    const first = decideSlots({ ...base, version: A, now: hours(-48) });
    const d = decideSlots({ ...base, version: B, previous: memoryOf(first), now: T0 });
    assert.equal(d.change, "roll");
    assert.equal(d.live, "green");
    assert.deepEqual(d.slots.green, { version: B, replicas: 3 });
    assert.deepEqual(d.slots.blue, first.slots.blue);
    assert.deepEqual(d.warm, { slot: "blue", version: A, until: hours(24) });
    assert.deepEqual(d.switchedAt, T0);
    assert.deepEqual(heldVersions(d), [B, A]);
  });

  it("rollback within warmHours: only the selector changes, no Deployment input changes", () => {
    const d = decideSlots({ ...base, version: A, previous: afterPromotion, now: hours(23) });
    assert.equal(d.change, "instant");
    assert.equal(d.live, "blue");
    assert.deepEqual(d.slots, afterPromotion.slots);
    assert.deepEqual(d.warm, { slot: "green", version: B, until: hours(47) });
    assert.deepEqual(d.switchedAt, hours(23));
  });

  it("while warm, an update that changes nothing keeps the warm slot exactly and its deadline", () => {
    const d = decideSlots({ ...base, version: B, previous: afterPromotion, now: hours(5) });
    assert.equal(d.change, "stay");
    assert.deepEqual(d.slots, afterPromotion.slots);
    assert.deepEqual(d.warm, { slot: "blue", version: A, until: hours(24) });
    assert.deepEqual(d.switchedAt, T0);
  });

  it("after warmHours: the warm slot is scaled to 0 at the next update (template kept), and holds its version no more", () => {
    const d = decideSlots({ ...base, version: B, previous: afterPromotion, now: hours(24) });
    assert.equal(d.change, "stay");
    assert.deepEqual(d.slots.blue, { version: A, replicas: 0 });
    assert.deepEqual(d.slots.green, { version: B, replicas: 3 });
    assert.equal(d.warm, undefined);
    assert.deepEqual(heldVersions(d), [B]);
  });

  it("rollback after warmHours: the idle slot is rolled back, then the Service switches", () => {
    const cooled = memoryOf(
      decideSlots({ ...base, version: B, previous: afterPromotion, now: hours(30) }),
    );
    const d = decideSlots({ ...base, version: A, previous: cooled, now: hours(31) });
    assert.equal(d.change, "roll");
    assert.equal(d.live, "blue");
    assert.deepEqual(d.slots.blue, { version: A, replicas: 3 });
    assert.deepEqual(d.slots.green, { version: B, replicas: 3 });
    assert.deepEqual(d.warm, { slot: "green", version: B, until: hours(55) });
  });

  it("a new version while a slot is warm: the warm slot is the one rolled; the one that served turns warm", () => {
    const d = decideSlots({ ...base, version: C, previous: afterPromotion, now: hours(2) });
    assert.equal(d.change, "roll");
    assert.equal(d.live, "blue");
    assert.deepEqual(d.slots.blue, { version: C, replicas: 3 });
    assert.deepEqual(d.slots.green, afterPromotion.slots.green);
    assert.deepEqual(d.warm, { slot: "green", version: B, until: hours(26) });
  });

  it("warmHours 0: the slot that served is scaled to 0 in the same update, and none is warm", () => {
    const d = decideSlots({
      replicas: 3,
      warmHours: 0,
      version: C,
      previous: afterPromotion,
      now: hours(2),
    });
    assert.deepEqual(d.slots.green, { version: B, replicas: 0 });
    assert.equal(d.warm, undefined);
    const back = decideSlots({
      replicas: 3,
      warmHours: 0,
      version: B,
      previous: memoryOf(d),
      now: hours(3),
    });
    assert.equal(back.change, "roll", "no warm slot: a rollback starts pods");
  });

  it("a slot whose run is not known (its update did not finish) is rolled, never switched to as it is", () => {
    const unknown: SlotsMemory = {
      ...afterPromotion,
      slots: { ...afterPromotion.slots, blue: undefined },
    };
    const d = decideSlots({ ...base, version: A, previous: unknown, now: hours(1) });
    assert.equal(d.change, "roll");
    assert.deepEqual(d.slots.blue, { version: A, replicas: 3 });
  });

  it("a replicas change applies to the live slot only; the warm slot keeps the size it served with", () => {
    const d = decideSlots({
      replicas: 5,
      warmHours: 24,
      version: B,
      previous: afterPromotion,
      now: hours(1),
    });
    assert.deepEqual(d.slots, {
      blue: { version: A, replicas: 3 },
      green: { version: B, replicas: 5 },
    });
  });
});

const slotArb = fc.constantFrom<Slot>("blue", "green");
const versionArb = fc.constantFrom(A, B, C);
const runArb = fc.option(
  fc.record({ version: versionArb, replicas: fc.integer({ min: 0, max: 5 }) }),
  {
    nil: undefined,
  },
);
const memoryArb: fc.Arbitrary<SlotsMemory> = fc.record(
  {
    live: slotArb,
    slots: fc.record({ blue: runArb, green: runArb }),
    switchedAt: fc.integer({ min: -1000, max: 0 }).map(hours),
  },
  { requiredKeys: ["live", "slots"] },
);
const inputArb: fc.Arbitrary<BlueGreenInput> = fc.record(
  {
    replicas: fc.integer({ min: 1, max: 5 }),
    warmHours: fc.integer({ min: 0, max: 720 }),
    version: versionArb,
    previous: memoryArb,
    now: fc.integer({ min: 0, max: 1000 }).map(hours),
  },
  { requiredKeys: ["replicas", "warmHours", "version", "now"] },
);

/**
 * Slots as plain objects: fast-check may build a record with a null prototype, which a strict
 * deep equality tells from a plain one.
 */
const plainSlots = (slots: Record<Slot, { version: string; replicas: number } | undefined>) => ({
  blue: slots.blue && { ...slots.blue },
  green: slots.green && { ...slots.green },
});

/** Whether `slot` was warm in `previous` at `now` (the decision's own rule, restated plainly). */
function wasWarm(i: BlueGreenInput, slot: Slot): boolean {
  const p = i.previous!;
  const run = p.slots[slot];
  if (slot === p.live || !run || run.replicas === 0 || !p.switchedAt) return false;
  return i.now.getTime() < p.switchedAt.getTime() + i.warmHours * 3600 * 1000;
}

describe("blue-green slots: properties over random memories (fast-check)", () => {
  it("the serving slot runs the active version with pods: never both slots at 0 while serving", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const d = decideSlots(i);
        assert.equal(d.slots[d.live].version, i.version);
        assert.equal(d.slots[d.live].replicas, i.replicas);
      }),
    );
  });

  it("a rollback within the window changes no Deployment (at unchanged replicas), only the selector", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const p = i.previous;
        if (!p) return;
        const other: Slot = p.live === "blue" ? "green" : "blue";
        const run = p.slots[other];
        fc.pre(run?.version === i.version && run.replicas === i.replicas && wasWarm(i, other));
        // The slot that served is known (a finished update): an unknown one is declared anew.
        const served = p.slots[p.live];
        fc.pre(served !== undefined && served.version !== i.version);
        const d = decideSlots(i);
        assert.equal(d.change, "instant");
        assert.equal(d.live, other);
        assert.deepEqual(plainSlots(d.slots), plainSlots(p.slots));
      }),
    );
  });

  it("pods never mix: the slot that served is never rolled to another version", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const p = i.previous;
        if (!p || !p.slots[p.live]) return;
        const d = decideSlots(i);
        assert.equal(d.slots[p.live].version, p.slots[p.live]!.version);
      }),
    );
  });

  it("the warm slot is the other slot, left exactly as it was, with pods, until a time after now", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const d = decideSlots(i);
        if (!d.warm) return;
        assert.notEqual(d.warm.slot, d.live);
        assert.ok(d.slots[d.warm.slot].replicas > 0);
        assert.equal(d.slots[d.warm.slot].version, d.warm.version);
        assert.deepEqual({ ...d.slots[d.warm.slot] }, { ...i.previous?.slots[d.warm.slot] });
        assert.ok(d.warm.until.getTime() > i.now.getTime());
        assert.ok(i.warmHours > 0);
      }),
    );
  });

  it("over a history, a slot left behind runs no pods once warmHours passed its switch", () => {
    const stepArb = fc.record({ version: versionArb, after: fc.integer({ min: 1, max: 60 }) });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 48 }),
        fc.array(stepArb, { maxLength: 12 }),
        (warmHours, steps) => {
          let now = T0;
          let d = decideSlots({ replicas: 2, warmHours, version: A, now });
          for (const step of steps) {
            now = new Date(now.getTime() + step.after * 3600 * 1000);
            d = decideSlots({
              replicas: 2,
              warmHours,
              version: step.version,
              previous: memoryOf(d),
              now,
            });
            const idle: Slot = d.live === "blue" ? "green" : "blue";
            const switched = d.switchedAt?.getTime() ?? -Infinity;
            const withinWindow =
              now.getTime() < switched + warmHours * 3600 * 1000 || d.switchedAt === now;
            if (!withinWindow || warmHours === 0) assert.equal(d.slots[idle].replicas, 0);
            assert.equal(d.warm !== undefined, d.slots[idle].replicas > 0);
          }
        },
      ),
    );
  });
});
