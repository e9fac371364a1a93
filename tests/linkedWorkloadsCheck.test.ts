/**
 * Linking a workload: its live object is checked before the patch is declared. Here: the read
 * itself, a workload or container that does not exist, rollouts that never complete, and the
 * variables the workload already sets (linkedWorkloadsCheckHistory.test.ts has the rest).
 */
import { strict as assert } from "assert";
import { projectConfig, runProgram } from "../offline";
import { fakeCluster } from "../fakes/world";
import { billingWithHelmSecretRef, liveWorkload } from "../fakes/linkedObjects";
import { assertRefusedByMemory } from "./helpers";
import { linked, against } from "./linkedHelpers";

describe("linking a workload: its live object is checked before the patch is declared", () => {
  it("reads each linked workload on every update, even when nothing is pruned", async () => {
    const run = await against({ Deployment: [liveWorkload("Deployment", "billing")] });
    assert.equal(run.error, undefined, run.error?.message);
    assert.ok(
      fakeCluster.requests.some(
        (r) => r.path === "/apis/apps/v1/namespaces/staging/deployments/billing",
      ),
      "the program reads the Deployment it patches",
    );
    assert.equal((run.outputs.guard as any).kubernetes.status, "skipped", "nothing is pruned");
  });

  it("the cluster settings are checked for the linked read even with guard.kubernetes false", async () => {
    fakeCluster.load({ Deployment: [liveWorkload("Deployment", "billing")] });
    const config = projectConfig({ ...linked(), guard: { kubernetes: false } });
    config.config["kubernetes:renderYamlToDirectory"] = "out";
    const run = await runProgram({ stack: "staging", config, now: "20250724000000" });
    assert.match(run.error?.message ?? "", /kubernetes:renderYamlToDirectory/);
    assert.deepEqual(run.resources, [], "refused before anything is read or declared");
  });

  it("refuses a StatefulSet with a partition and a Deployment with no progress deadline: their rollouts never complete, so the patch would time out", async () => {
    const partitioned = await against(
      { StatefulSet: [liveWorkload("StatefulSet", "billing", { partition: 2 })] },
      linked({ kind: "StatefulSet" }),
    );
    assertRefusedByMemory(partitioned, "workloads.billing.kind", "partition 2");
    const noDeadline = await against({
      Deployment: [liveWorkload("Deployment", "billing", { progressDeadlineSeconds: 2147483647 })],
    });
    assertRefusedByMemory(
      noDeadline,
      "workloads.billing.kind",
      "progressDeadlineSeconds 2147483647",
    );
    const unpartitioned = await against(
      { StatefulSet: [liveWorkload("StatefulSet", "billing", { partition: 0 })] },
      linked({ kind: "StatefulSet" }),
    );
    assert.equal(unpartitioned.error, undefined, unpartitioned.error?.message);
  });

  it("refuses a workload that does not exist, before any resource", async () => {
    // A StatefulSet of that name is no Deployment: the patch would create a Deployment.
    const run = await against({ StatefulSet: [liveWorkload("StatefulSet", "billing")] });
    const message = assertRefusedByMemory(
      run,
      "workloads.billing",
      "Deployment staging/billing does not exist",
      "Deploy the workload first",
    );
    assert.match(message, /^stack "staging": /);
  });

  it("refuses a container the workload does not have, naming the ones it has", async () => {
    const run = await against({
      Deployment: [liveWorkload("Deployment", "billing", { containers: [{ name: "api" }] })],
    });
    assertRefusedByMemory(
      run,
      "workloads.billing.containers[1]",
      '"worker" is not a container of Deployment staging/billing; its containers: api',
    );
  });

  it("refuses a variable the workload sets with a literal value, naming container and variable", async () => {
    const run = await against({
      Deployment: [
        liveWorkload("Deployment", "billing", {
          containers: [
            { name: "api", env: [{ name: "api_token", value: "hard-coded" }] },
            { name: "worker" },
          ],
        }),
      ],
    });
    const message = assertRefusedByMemory(
      run,
      "workloads.billing.containers[0]",
      'container "api" of Deployment staging/billing already sets api_token with a literal value',
      "value and valueFrom are exclusive",
    );
    assert.ok(!message.includes("hard-coded"), "the literal value itself is never shown");
  });

  it("refuses a variable the workload reads from another source", async () => {
    const sources = [
      { configMapKeyRef: { name: "billing-config", key: "api_token" } },
      { fieldRef: { fieldPath: "metadata.name" } },
      { resourceFieldRef: { resource: "limits.cpu" } },
    ];
    for (const valueFrom of sources) {
      const run = await against({
        Deployment: [
          liveWorkload("Deployment", "billing", {
            containers: [
              { name: "api" },
              { name: "worker", env: [{ name: "db_password", valueFrom }] },
            ],
          }),
        ],
      });
      assertRefusedByMemory(
        run,
        "workloads.billing.containers[1]",
        `container "worker" of Deployment staging/billing already sets db_password from valueFrom.${Object.keys(valueFrom)[0]}`,
      );
    }
  });

  it("refuses a secretKeyRef another field manager set, naming the manager", async () => {
    const run = await against({ Deployment: [billingWithHelmSecretRef()] });
    assertRefusedByMemory(
      run,
      "workloads.billing.containers[0]",
      'already sets api_token from secretKeyRef billing-credentials/api_token, owned by field manager "helm"',
    );
  });

  it("reports every problem at once", async () => {
    const run = await against({
      Deployment: [
        liveWorkload("Deployment", "billing", {
          containers: [
            {
              name: "api",
              env: [
                { name: "api_token", value: "x" },
                { name: "db_password", value: "y" },
              ],
            },
          ],
        }),
      ],
    });
    const message = assertRefusedByMemory(run, "workloads.billing.containers[0]");
    assert.match(message, /has 3 problems/);
    assert.match(message, /already sets api_token with a literal value/);
    assert.match(message, /already sets db_password with a literal value/);
    assert.match(message, /"worker" is not a container/);
  });
});
