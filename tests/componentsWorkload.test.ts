/**
 * The Workload and RotationAlarm components used directly, as a library, and the components'
 * defaults beside the program's (RotatedSecret: tests/components.test.ts).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
  DEFAULT_GENERATE_LENGTH,
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_READY_TIMEOUT_SECONDS,
  DEFAULT_ROLLOUT,
  DELIVERY_KINDS,
  RotationAlarm,
  Workload,
} from "../components";
import * as config from "../config/types";
import { TYPES, declareWith, inputsOf } from "./helpers";

describe("components as a library: Workload and RotationAlarm", () => {
  it("Workload uses the Secret names it is given, in order", async () => {
    const resources = await declareWith(() => {
      new Workload("worker", {
        kind: "CronJob",
        namespace: "jobs",
        container: { image: "worker:1" },
        schedule: "@daily",
        links: [
          { secret: "a", version: "20250101000000", kubernetesName: "a-20250101000000" },
          {
            secret: "b",
            version: "20250102000000",
            kubernetesName: pulumi.output("b-20250102000000"),
          },
        ],
      });
    });
    assert.deepEqual(
      resources.map((r) => `${r.type}::${r.name}`),
      [`${TYPES.workload}::worker`, `${TYPES.cronJob}::worker-cronjob`],
    );
    const cronJob = inputsOf(resources[1]);
    assert.equal(cronJob.metadata.namespace, "jobs");
    assert.deepEqual(cronJob.spec.jobTemplate.spec.template.spec.containers[0].envFrom, [
      { secretRef: { name: "a-20250101000000" } },
      { secretRef: { name: "b-20250102000000" } },
    ]);
  });

  it("Workload with a canary names both Deployments after the component", async () => {
    const resources = await declareWith(() => {
      new Workload("api", {
        kind: "Deployment",
        namespace: "web",
        container: { image: "api:1" },
        replicas: 3,
        links: [{ secret: "a", version: "20250101000000", kubernetesName: "a-20250101000000" }],
        canary: {
          replicas: 1,
          links: [{ secret: "a", version: "20250102000000", kubernetesName: "a-20250102000000" }],
        },
      });
    });
    assert.deepEqual(
      resources.map((r) => `${r.type}::${r.name}`),
      [
        `${TYPES.workload}::api`,
        `${TYPES.deployment}::api-canary`,
        `${TYPES.deployment}::api-deployment`,
      ],
    );
    assert.deepEqual(
      resources.slice(1).map((r) => [inputsOf(r).metadata.name, inputsOf(r).spec.replicas]),
      [
        ["api-canary", 1],
        ["api", 3],
      ],
    );
  });

  it("Workload refuses a canary that links other secrets, declaring nothing", async () => {
    const resources = await declareWith(() => {
      assert.throws(
        () =>
          new Workload("api", {
            kind: "Deployment",
            namespace: "web",
            container: { image: "api:1" },
            replicas: 3,
            links: [{ secret: "a", version: "20250101000000", kubernetesName: "a-1" }],
            canary: {
              replicas: 1,
              links: [{ secret: "b", version: "20250102000000", kubernetesName: "b-2" }],
            },
          }),
        /workload api: the canary's links must name the same secrets as links, in order/,
      );
    });
    assert.deepEqual(resources, []);
  });

  it("RotationAlarm takes its actions as outputs and fills the defaults", async () => {
    const resources = await declareWith(() => {
      new RotationAlarm("payments", {
        environment: "production",
        secret: "payments-db",
        activeVersion: "20250201000000",
        monitor: {
          namespace: "AWS/RDS",
          metricName: "LoginFailures",
          statistic: "Sum",
          threshold: 1,
          period: 60,
          evaluationPeriods: 3,
          alarmActions: pulumi.output([pulumi.output("arn:aws:sns:us-east-1:000000000000:oncall")]),
        },
      });
    }, "production");
    const alarm = inputsOf(resources[1]);
    assert.deepEqual(alarm.alarmActions, ["arn:aws:sns:us-east-1:000000000000:oncall"]);
    assert.deepEqual(
      [alarm.comparisonOperator, alarm.datapointsToAlarm, alarm.treatMissingData, alarm.okActions],
      ["GreaterThanOrEqualToThreshold", 3, "notBreaching", []],
    );
    assert.ok(!("dimensions" in alarm));
    // The stack the description's commands target defaults to the running one.
    assert.match(alarm.alarmDescription, /\(stack production\) runs version 20250201000000/);
  });

  it("the components' defaults are the program's config defaults", () => {
    assert.deepEqual(
      {
        awsRecoveryWindowDays: DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
        generateLength: DEFAULT_GENERATE_LENGTH,
        minReadySeconds: DEFAULT_MIN_READY_SECONDS,
        progressDeadlineSeconds: DEFAULT_PROGRESS_DEADLINE_SECONDS,
        rollout: DEFAULT_ROLLOUT,
        readyTimeoutSeconds: DEFAULT_READY_TIMEOUT_SECONDS,
        deliveries: DELIVERY_KINDS,
      },
      {
        awsRecoveryWindowDays: config.DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
        generateLength: config.DEFAULT_GENERATE_LENGTH,
        minReadySeconds: config.DEFAULT_MIN_READY_SECONDS,
        progressDeadlineSeconds: config.DEFAULT_PROGRESS_DEADLINE_SECONDS,
        rollout: config.DEFAULT_ROLLOUT,
        readyTimeoutSeconds: config.DEFAULT_READY_TIMEOUT_SECONDS,
        deliveries: config.DELIVERIES,
      },
    );
  });

  it("RotationAlarm names its alarm after the component and takes no inputs into state", async () => {
    const resources = await declareWith(() => {
      new RotationAlarm("payments", {
        stack: "production",
        environment: "production",
        secret: "payments-db",
        activeVersion: "20250201000000",
        previousVersion: "20250101000000",
        monitor: {
          namespace: "AWS/RDS",
          metricName: "LoginFailures",
          dimensions: {},
          statistic: "Sum",
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          period: 60,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          treatMissingData: "notBreaching",
          alarmActions: [],
          okActions: [],
        },
      });
    });
    assert.deepEqual(
      resources.map((r) => `${r.type}::${r.name}`),
      [`${TYPES.rotationAlarm}::payments`, `${TYPES.alarm}::payments-alarm`],
    );
    assert.deepEqual(resources[0].inputs, {});
    assert.equal(inputsOf(resources[1]).name, "secret-rotation/production/payments-db");
  });
});
