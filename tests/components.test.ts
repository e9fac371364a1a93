/**
 * The components used directly, as a library: type tokens, child names under the component's
 * name, and argument checks that declare nothing when they fail.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { AwsSecretStore } from "../components/delivery/awsSecretStore";
import {
  externalSecretCopy,
  externalSecretDependencies,
} from "../components/delivery/externalSecretCopy";
import { RotatedSecret } from "../components/secrets/rotatedSecret";
import { RotationAlarm } from "../components/monitoring/rotationAlarm";
import { Workload } from "../components/workloads/workload";
import { TYPES, declareWith, inputsOf } from "./helpers";

describe("components as a library", () => {
  it("RotatedSecret names every child after the component and takes no inputs into state", async () => {
    const resources = await declareWith(() => {
      new RotatedSecret("payments-db", {
        environment: "staging",
        namespace: "payments",
        versions: [
          { id: "20250101000000", values: { password: pulumi.secret("a") } },
          { id: "20250201000000", values: { password: pulumi.secret("b") } },
        ],
        activeVersion: "20250201000000",
        generate: { api_key: { length: 40, special: false } },
      });
    });
    const component = resources.find((r) => r.type === TYPES.rotatedSecret);
    assert.deepEqual(component?.inputs, {});
    const children = resources.filter((r) => r.custom).map((r) => r.name);
    assert.ok(
      children.every((n) => n.startsWith("payments-db-")),
      children.join(", "),
    );
    assert.equal(children.length, 2 * 4);
    const kube = resources.filter((r) => r.type === TYPES.kubeSecret).map((r) => inputsOf(r));
    assert.deepEqual(
      kube.map((k) => [k.metadata.name, k.metadata.namespace]),
      [
        ["payments-db-20250101000000", "payments"],
        ["payments-db-20250201000000", "payments"],
      ],
    );
  });

  it("RotatedSecret delivers through External Secrets with an AwsSecretStore, after AWS and the store", async () => {
    const dependencies: pulumi.Resource[][] = [];
    const resources = await declareWith(() => {
      const store = new AwsSecretStore("payments-store", {
        store: { region: "eu-west-1", auth: "podIdentity" },
        namespace: "payments",
        timeoutSeconds: 120,
      });
      const copy = externalSecretCopy({
        storeRef: { name: "payments-store", kind: "ClusterSecretStore" },
        timeoutSeconds: 120,
        store: store.resource,
      });
      const secret = new RotatedSecret("payments-db", {
        environment: "staging",
        namespace: "payments",
        versions: [{ id: "20250101000000", values: { password: pulumi.secret("a") } }],
        activeVersion: "20250101000000",
        copy: (parent, role, args) => {
          dependencies.push(externalSecretDependencies(args.aws, store.resource));
          return copy(parent, role, args);
        },
      });
      assert.ok(secret.activeKubernetesName);
    });
    assert.deepEqual(
      resources.filter((r) => r.custom).map((r) => [r.type, r.name]),
      [
        ["kubernetes:external-secrets.io/v1:ClusterSecretStore", "payments-store-store"],
        ["aws:secretsmanager/secret:Secret", "payments-db-20250101000000-aws"],
        ["aws:secretsmanager/secretVersion:SecretVersion", "payments-db-20250101000000-aws-value"],
        ["kubernetes:external-secrets.io/v1:ExternalSecret", "payments-db-20250101000000-eso"],
      ],
    );
    const [deps] = dependencies;
    assert.equal(deps.length, 2);
    assert.ok(deps[0] instanceof aws.secretsmanager.SecretVersion, "the AWS value first");
    assert.ok(deps[1] instanceof k8s.apiextensions.CustomResource, "then the store");
    for (const r of resources.filter((x) => !x.custom)) assert.deepEqual(r.inputs, {}, r.name);
  });

  it("RotatedSecret refuses an active version it does not declare, declaring nothing", async () => {
    const resources = await declareWith(() => {
      assert.throws(
        () =>
          new RotatedSecret("payments-db", {
            environment: "staging",
            namespace: "payments",
            versions: [{ id: "20250101000000", values: {} }],
            activeVersion: "20250201000000",
          }),
        /activeVersion 20250201000000 is not in versions/,
      );
    });
    assert.deepEqual(resources, []);
  });

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
