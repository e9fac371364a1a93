/**
 * The rotation diff between two plans (scripts/planDiff.ts), on hand-written plan outputs: what
 * the end-to-end runs (planBase.test.ts) do not reach cheaply, such as blue-green slots, a
 * version that expires, and a secret or workload the change removes.
 */
import { strict as assert } from "assert";
import { diffPlans } from "../scripts/planDiff";
import { renderDiff } from "../scripts/planDiffRender";

const version = (v: string, state: string) => ({
  version: v,
  state,
  delivery: "direct",
  kubernetesName: `db-${v}`,
  awsName: `production/db-${v}`,
});

const secret = (active: string, versions: [string, string][]) => ({
  delivery: "direct",
  activeVersion: active,
  activeName: `db-${active}`,
  previousVersion: null,
  canary: null,
  keys: ["password"],
  versions: versions.map(([v, s]) => version(v, s)),
});

const slots = (blue: string, green: string) => ({
  live: "blue",
  switchedAt: null,
  blue: { versions: { db: blue }, secretNames: [`db-${blue}`], replicas: 2 },
  green: { versions: { db: green }, secretNames: [`db-${green}`], replicas: 0 },
  warm: null,
});

describe("the rotation diff between two plans", () => {
  it("rolls each blue-green slot to its own Secret name, and prunes a version that expires", () => {
    const base = {
      outputs: {
        secrets: {
          db: secret("2", [
            ["1", "retained"],
            ["2", "active"],
          ]),
        },
        workloads: {
          api: {
            kind: "Deployment",
            secretNames: [],
            versions: {},
            canary: null,
            slots: slots("2", "1"),
          },
        },
      },
    };
    const head = {
      outputs: {
        secrets: {
          db: secret("3", [
            ["1", "expired"],
            ["2", "previous"],
            ["3", "active"],
          ]),
        },
        workloads: {
          api: {
            kind: "Deployment",
            secretNames: [],
            versions: {},
            canary: null,
            slots: slots("3", "2"),
          },
        },
      },
    };
    const d = diffPlans(base, head).secrets.db;
    assert.deepEqual(d.rolls, [
      { workload: "api", part: "blue slot", from: "db-2", to: "db-3" },
      { workload: "api", part: "green slot", from: "db-1", to: "db-2" },
    ]);
    assert.deepEqual(d.states, [
      { version: "1", from: "retained", to: "expired" },
      { version: "2", from: "active", to: "previous" },
    ]);
    assert.deepEqual(d.pruned, ["1"]);
    assert.deepEqual(d.versionsRemoved, []);
  });

  it("shows a removed secret and workload, and names unchanged secrets on one line", () => {
    const db = secret("2", [["2", "active"]]);
    const base = {
      outputs: {
        secrets: { db, cache: secret("5", [["5", "active"]]) },
        workloads: {
          api: { kind: "Deployment", secretNames: ["db-2"], versions: { db: "2" }, canary: null },
        },
      },
    };
    const head = { outputs: { secrets: { db }, workloads: {} } };
    const diff = diffPlans(base, head);
    assert.equal(diff.secrets.cache.change, "removed");
    assert.deepEqual(diff.secrets.cache.pruned, ["5"]);
    assert.deepEqual(diff.workloadsRemoved, ["api"]);
    assert.deepEqual(diff.secrets.db.rolls, [
      { workload: "api", part: "Deployment", from: "db-2", to: null },
    ]);
    const text = renderDiff(
      {
        stack: "production",
        ref: "main",
        commit: "0123456789abcdef",
        at: "2026-12-01T00:00:00.000Z",
        stackFile: "Pulumi.production.yaml",
        newStackFile: false,
      },
      diff,
    );
    assert.match(text, /Workloads removed: api/);
    assert.match(text, /cache: removed\n {4}versions removed: 5\n/);
    assert.match(text, /api \(Deployment\): db-2 → none/);
  });

  it("lists the working tree's warnings that the ref's plan does not give", () => {
    const plan = { outputs: { secrets: {}, workloads: {} } };
    const base = { ...plan, logs: ["warning: kept", "info: the ref"] };
    const head = { ...plan, logs: ["warning: kept", "warning: a plain value", "info: here"] };
    const diff = diffPlans(base, head);
    assert.deepEqual(diff.warnings, ["warning: a plain value"]);
    const header = {
      stack: "s",
      ref: "main",
      commit: "0123456789ab",
      at: "t",
      stackFile: "f",
      newStackFile: false,
    };
    assert.match(renderDiff(header, diff), /\n\nNew warnings\n {2}warning: a plain value$/);
  });

  it("names no change when the plans agree", () => {
    const plan = { outputs: { secrets: { db: secret("2", [["2", "active"]]) }, workloads: {} } };
    const diff = diffPlans(plan, plan);
    assert.equal(diff.secrets.db.change, "unchanged");
    const header = {
      stack: "s",
      ref: "main",
      commit: "0123456789ab",
      at: "t",
      stackFile: "f",
      newStackFile: false,
    };
    assert.match(renderDiff(header, diff), /Secrets\n {2}unchanged: db$/);
  });
});

describe("the rotation diff of a new stack file", () => {
  it("marks a listed version that is already expired as never created; user names such as constructor are names", () => {
    const db = secret("2", [
      ["1", "expired"],
      ["2", "active"],
    ]);
    const head = {
      outputs: {
        secrets: { constructor: db, db },
        workloads: {
          constructor: { kind: "Deployment", secretNames: [], versions: {}, canary: null },
          api: { kind: "Deployment", secretNames: [], versions: { db: "2" }, canary: null },
        },
      },
    };
    const d = diffPlans(undefined, head);
    assert.deepEqual(Object.keys(d.secrets), ["constructor", "db"]);
    const byName = new Map(Object.entries(d.secrets));
    assert.equal(byName.get("constructor")?.change, "added");
    assert.deepEqual(d.workloadsAdded, ["constructor", "api"]);
    // The workload `constructor` reads no secret: no roll is made up from an inherited key.
    assert.deepEqual(byName.get("constructor")?.rolls, []);
    assert.deepEqual(d.secrets.db.notCreated, [{ version: "1", state: "expired" }]);
    const text = renderDiff(
      {
        stack: "qa",
        ref: "main",
        commit: "0".repeat(40),
        at: "2026-12-02T00:00:00.000Z",
        stackFile: "Pulumi.qa.yaml",
        newStackFile: true,
      },
      d,
    );
    assert.match(text, /versions added: 1 \(expired: listed, never created\), 2\n/);
  });
});
