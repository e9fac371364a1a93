/**
 * `npm run bench:rollback`: what a rollback of a 10-replica Deployment costs, in pods started
 * and rollout waves, under `rolling` and `blueGreen` (bench/rollbackRuns.ts runs the program
 * and counts). Not timed. The program's live reads go to an empty loopback cluster and a
 * mocked Secrets Manager.
 */
import { FakeAws } from "../fakes/awsSecrets";
import { FakeKubeApi } from "../fakes/kubeApi";
import { REPLICAS, SERVICE_SETTLE_SECONDS, rollbackRows, table } from "./rollbackRuns";

async function main(): Promise<void> {
  const cluster = new FakeKubeApi();
  await cluster.start();
  process.env.KUBECONFIG = cluster.kubeconfig;
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const aws = new FakeAws();
  aws.install();
  try {
    for (const line of table(await rollbackRows())) console.log(line);
    console.log(
      `rollback of a ${REPLICAS}-replica Deployment; a wave waits for its new pods to be ready and then minReadySeconds; ` +
        `a Service switch waits >= ${SERVICE_SETTLE_SECONDS} s for its Endpoints to settle (pulumi-kubernetes await/service.go)`,
    );
  } finally {
    aws.restore();
    await cluster.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
