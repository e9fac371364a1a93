/**
 * The benchmark's baseline: declares the same resources as the program does for the benchmark
 * config (per secret: a component, four versions of AWS Secret, SecretVersion and Kubernetes
 * Secret; per secret one Deployment in a component; the StackReference that reads the stack's
 * previous outputs), with no config parsing, validation or
 * lifecycle logic. The ratio of the two times is the cost of that logic.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { benchVersions } from "./shape";

const count = new pulumi.Config("bench").requireNumber("secrets");
// The program reads its own previous outputs (its memory) once per update.
new pulumi.StackReference("previous-outputs", {
  name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
});
const versions = benchVersions();

for (let i = 0; i < count; i++) {
  const name = `secret-${i}`;
  const parent = new pulumi.ComponentResource("secret-rotation:secrets:RotatedSecret", name, {});
  let activeName: pulumi.Output<string> = pulumi.output("");
  for (const version of versions) {
    const secret = new aws.secretsmanager.Secret(
      `${name}-${version}-aws`,
      { name: `staging/${name}-${version}`, recoveryWindowInDays: 30 },
      { parent },
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-${version}-aws-value`,
      { secretId: secret.id, secretString: pulumi.secret(JSON.stringify({ value: version })) },
      { parent },
    );
    const kube = new k8s.core.v1.Secret(
      `${name}-${version}-k8s`,
      {
        metadata: { name: `${name}-${version}`, namespace: "staging" },
        immutable: true,
        data: pulumi.secret({ value: Buffer.from(version).toString("base64") }),
      },
      { parent },
    );
    activeName = kube.metadata.name;
  }
  const workload = new pulumi.ComponentResource(
    "secret-rotation:workloads:Workload",
    `app-${i}`,
    {},
  );
  new k8s.apps.v1.Deployment(
    `app-${i}-deployment`,
    {
      metadata: { name: `app-${i}`, namespace: "staging" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { app: `app-${i}` } },
          spec: {
            containers: [
              { name: "app", image: "app:1", envFrom: [{ secretRef: { name: activeName } }] },
            ],
          },
        },
      },
    },
    { parent: workload },
  );
}
