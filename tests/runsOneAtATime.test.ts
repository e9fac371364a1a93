/**
 * The Pulumi runtime is one per process (pulumi v3.248.0 sdk/nodejs/runtime/settings.ts
 * setMockOptions, rpcKeepAlive, waitForRPCs), and mocha's parallel workers run one test file
 * after another in the same process. A program run that outlives its test (a timeout does not
 * stop it) must not register its resources with the next run's mocks: runs go one at a time
 * (offline/mockRuntime.ts oneAtATime).
 */
import * as assert from "assert";
import { baseConfig, declare, declareOk } from "./helpers";

const names = (run: { resources: { type: string; name: string }[] }) =>
  run.resources.map((r) => `${r.type}::${r.name}`).sort();

describe("program runs: one at a time in a process", () => {
  it("two runs started together each declare exactly what one run alone declares", async () => {
    const alone = await declareOk(baseConfig());
    const started = [declare(baseConfig()), declare({ ...baseConfig(), retentionDays: 9 })];
    const [first, second] = await Promise.all(started);
    assert.ifError(first.error);
    assert.ifError(second.error);
    assert.deepEqual(names(first), names(alone));
    assert.deepEqual(names(second), names(alone));
    assert.ok(alone.logs.length > 0);
    assert.deepEqual(first.logs, alone.logs);
  });
});
