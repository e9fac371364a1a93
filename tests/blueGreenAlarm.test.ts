/**
 * The rotation alarm of a secret a blueGreen workload links (components/monitoring/alarmText.ts,
 * program/componentArgs.ts warmVersion): while a slot keeps the previous version warm, the
 * description names the instant rollback; once the window is over, the ordinary one.
 */
import { strict as assert } from "assert";
import {
  TYPES,
  type TestConfig,
  baseConfig,
  find,
  goodMonitor,
  inputsOf,
  runHistory,
  secretOf,
  workloadOf,
} from "./helpers";

const ACTIVE = "20250723110000";
const NEW = "20250801090000";

function config(active: string): TestConfig {
  const c = baseConfig();
  Object.assign(workloadOf(c, "auth-service"), { strategy: "blueGreen", warmHours: 24 });
  secretOf(c).monitor = goodMonitor();
  secretOf(c).versions[NEW] = { api_token: "token-v4" };
  secretOf(c).active = active;
  return c;
}

describe("blueGreen: the rotation alarm names the instant rollback while a slot is warm", () => {
  it("after a promotion it names the warm slot's version, its end and the command; past the window, the ordinary rollback", async () => {
    const runs = await runHistory([
      { config: config(ACTIVE), now: "20250801100000" },
      { config: config(NEW), now: "20250801110000" },
      { config: config(NEW), now: "20250803000000" },
    ]);
    for (const run of runs) assert.equal(run.error, undefined, run.error?.message);
    const description = (i: number) =>
      inputsOf(find(runs[i], TYPES.alarm, "auth-api-secrets-alarm")).alarmDescription as string;
    const command = `pulumi config set --stack staging --path 'secret-rotation:secrets["auth-api-secrets"].active' ${ACTIVE} && pulumi up --stack staging`;
    assert.ok(
      description(1).includes(
        `auth-service keep version ${ACTIVE} warm until 2025-08-02T11:00:00.000Z: rolling back to it only switches their Services, no pod starts: ${command}.`,
      ),
      description(1),
    );
    assert.ok(!description(2).includes("warm"), description(2));
    assert.ok(description(2).includes(`If the rotation caused this, roll back: ${command}.`));
  });

  it("names no instant rollback when the warm slot also differs in its image: rolling back the secret alone would roll a slot", async () => {
    const withImage = (active: string, tag: string) => {
      const c = config(active);
      workloadOf(c, "auth-service").image = `registry.example.com/auth-service:${tag}`;
      return c;
    };
    const runs = await runHistory([
      { config: withImage(ACTIVE, "1.8.0"), now: "20250801100000" },
      { config: withImage(NEW, "1.9.0"), now: "20250801110000" },
    ]);
    for (const run of runs) assert.equal(run.error, undefined, run.error?.message);
    const text = inputsOf(find(runs[1], TYPES.alarm, "auth-api-secrets-alarm"))
      .alarmDescription as string;
    assert.ok(!text.includes("warm"), text);
    assert.ok(text.includes(`If the rotation caused this, roll back:`), text);
  });

  it("names no instant rollback when another Deployment on the secret would roll", async () => {
    const withRolling = (active: string) => {
      const c = config(active);
      (c.workloads as Record<string, unknown>).billing = {
        kind: "Deployment",
        image: "registry.example.com/billing:1.0.0",
        replicas: 2,
        secrets: ["auth-api-secrets"],
      };
      return c;
    };
    const runs = await runHistory([
      { config: withRolling(ACTIVE), now: "20250801100000" },
      { config: withRolling(NEW), now: "20250801110000" },
    ]);
    for (const run of runs) assert.equal(run.error, undefined, run.error?.message);
    const text = inputsOf(find(runs[1], TYPES.alarm, "auth-api-secrets-alarm"))
      .alarmDescription as string;
    assert.ok(!text.includes("no pod starts"), text);
  });
});
