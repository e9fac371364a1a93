/**
 * `npm run bench:rollback`: what a rollback of a 10-replica Deployment costs, in pods started
 * and rollout waves, under `rolling` and `blueGreen` (bench/rollbackRuns.ts runs the program
 * and counts). Not timed. The program's live reads go to an empty loopback cluster and a
 * mocked Secrets Manager.
 */
import { inFakeWorld } from "./fakeWorld";
import { REPLICAS, SERVICE_SETTLE_SECONDS, rollbackRows, table } from "./rollbackRuns";

async function main(): Promise<void> {
  await inFakeWorld(async () => {
    for (const line of table(await rollbackRows())) console.log(line);
    console.log(
      `rollback of a ${REPLICAS}-replica Deployment; a wave waits for its new pods to be ready and then minReadySeconds; ` +
        `a Service switch waits >= ${SERVICE_SETTLE_SECONDS} s for its Endpoints to settle (pulumi-kubernetes await/service.go)`,
    );
  });
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
