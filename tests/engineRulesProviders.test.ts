/**
 * Engine rules: the limits the Kubernetes API server (pkg/apis/.../validation.go, master) and
 * the AWS provider (terraform-provider-aws main, the bridge under @pulumi/aws 7.48.0) enforce,
 * which the mock runtime does not.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { INT32_MAX } from "../config/types";
import { MAX_ALARM_DESCRIPTION, alarmDescription } from "../components/monitoring/alarmText";
import { selectorLabels } from "../components/workloads/podTemplate";
import { baseConfig, declare, declareOk, workloadOf } from "./helpers";

describe("engine rules: API-server limits (kubernetes pkg/apis/.../validation.go)", () => {
  const refused = async (edit: (c: any) => void, path: string, words: string) => {
    const config = baseConfig();
    edit(config);
    const run = await declare(config);
    assert.ok(run.error, `${path} should be refused`);
    assert.ok(run.error.message.includes(`secret-rotation:${path}:`), run.error.message);
    assert.ok(run.error.message.includes(words), run.error.message);
    assert.deepEqual(run.resources, []);
  };

  it("a CronJob name over 52 characters (batch/validation ValidateCronJobCreate)", async () => {
    const rename = (length: number) => (c: any) => {
      c.workloads["a".repeat(length)] = c.workloads["token-refresh"];
      delete c.workloads["token-refresh"];
    };
    await refused(rename(53), `workloads.${"a".repeat(53)}`, "at most 52");
    const ok = baseConfig();
    rename(52)(ok);
    await declareOk(ok);
  });

  for (const field of ["replicas", "minReadySeconds", "progressDeadlineSeconds"]) {
    it(`${field} above int32 (${INT32_MAX})`, async () => {
      await refused(
        (c) => (workloadOf(c, "auth-service")[field] = INT32_MAX + 1),
        `workloads.auth-service.${field}`,
        String(INT32_MAX),
      );
    });
  }

  it("progressDeadlineSeconds of int32's maximum, which means no deadline and no Progressing condition (pkg/controller/deployment/progress.go syncRolloutStatus; pulumi-kubernetes await/deployment.go)", async () => {
    await refused(
      (c) => (workloadOf(c, "auth-service").progressDeadlineSeconds = INT32_MAX),
      "workloads.auth-service.progressDeadlineSeconds",
      "means no deadline",
    );
  });

  for (const field of ["maxSurge", "maxUnavailable"]) {
    it(`rollout.${field} above int32`, async () => {
      await refused(
        (c) => (workloadOf(c, "auth-service").rollout = { [field]: INT32_MAX + 1 }),
        `workloads.auth-service.rollout.${field}`,
        String(INT32_MAX),
      );
    });
  }

  it("a resource request above its limit (core/validation ValidateResourceRequirements)", async () => {
    await refused(
      (c) =>
        (workloadOf(c, "auth-service").resources = {
          requests: { memory: "1Gi", cpu: "500m" },
          limits: { memory: "512Mi", cpu: "1" },
        }),
      "workloads.auth-service.resources.requests.memory",
      "1Gi is more than the memory limit 512Mi",
    );
    const equal = baseConfig();
    workloadOf(equal, "auth-service").resources = {
      requests: { memory: "1024Mi", cpu: "1000m" },
      limits: { memory: "1Gi", cpu: "1" },
    };
    await declareOk(equal);
  });

  it("the stable and canary Deployments select disjoint pods (apps/v1 Deployment selectors must not overlap)", () => {
    const stable = selectorLabels("auth-service", "stable");
    const canary = selectorLabels("auth-service", "canary");
    const overlap = (a: Record<string, string>, b: Record<string, string>) =>
      Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v) &&
      Object.entries(b).every(([k, v]) => a[k] === undefined || a[k] === v);
    assert.ok(!overlap(stable, canary), "a pod could match both selectors");
  });
});

describe("engine rules: provider limits (terraform-provider-aws)", () => {
  it("an alarm description never exceeds 1024 characters (cloudwatch/metric_alarm.go)", () => {
    // Stack names are at most 100 characters (pulumi sdk/go/common/tokens/stack_name.go),
    // secret names at most 63 (a label value).
    const name = (max: number) => fc.stringMatching(new RegExp(`^[a-z][a-z0-9-]{0,${max - 1}}$`));
    const id = fc.constantFrom("20250101000000", "20991231235959");
    fc.assert(
      fc.property(
        name(100),
        name(63),
        fc.constantFrom("staging", "production"),
        id,
        fc.option(id, { nil: undefined }),
        fc.option(fc.record({ version: id, percent: fc.integer({ min: 1, max: 100 }) }), {
          nil: undefined,
        }),
        fc.option(
          fc.record({
            version: id,
            until: fc.constant("2025-01-02T03:04:05.000Z"),
            workloads: fc.array(name(57), { minLength: 1, maxLength: 20 }),
          }),
          { nil: undefined },
        ),
        (stack, secret, environment, activeVersion, previousVersion, canary, warm) => {
          const text = alarmDescription({
            stack,
            environment,
            secret,
            activeVersion,
            previousVersion,
            canary,
            warm,
          });
          assert.ok(text.length <= MAX_ALARM_DESCRIPTION, `${text.length} characters`);
          if (previousVersion && previousVersion !== warm?.version) {
            assert.match(text, /roll back: pulumi config set/);
          }
          if (warm)
            assert.match(text, /only switches their Services, no pod starts: pulumi config set/);
        },
      ),
    );
    const longest = alarmDescription({
      stack: "s".repeat(100),
      environment: "production",
      secret: "a".repeat(63),
      activeVersion: "20250101000000",
      previousVersion: "20240101000000",
      canary: { version: "20250201000000", percent: 100 },
      warm: {
        version: "20241201000000",
        until: "2025-01-02T03:04:05.000Z",
        workloads: ["w".repeat(57), "x".repeat(57), "y".repeat(57)],
      },
    });
    assert.ok(longest.length <= MAX_ALARM_DESCRIPTION, `${longest.length}`);
    assert.match(longest, /pulumi up -s s{100}\.$/, "the commands stay whole");
  });
});
