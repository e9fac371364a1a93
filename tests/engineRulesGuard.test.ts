/**
 * Engine rules: the reference guard's reads, as pulumi-kubernetes v4.x and
 * terraform-provider-aws read the cluster and AWS settings.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStackConfig } from "../config/parse";
import { loadKubeConfig } from "../reads/kubeconfig";
import { kubeconfigFor } from "../fakes/kubeApi";
import { linkedPatch } from "../components/workloads/linkedWorkload";

describe("engine rules: the reference guard's reads (pulumi-kubernetes v4.x, terraform-provider-aws)", () => {
  it("reads the kubeconfig as the provider does: a path when the file exists (~ expanded), else the contents (provider/pkg/provider/util.go parseKubeconfigString)", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "rules-home-"));
    try {
      fs.writeFileSync(path.join(home, "kc"), kubeconfigFor("https://file:6443"));
      const server = (loaded: ReturnType<typeof loadKubeConfig>) =>
        "config" in loaded ? loaded.config.getCurrentCluster()?.server : loaded.unavailable;
      assert.equal(server(loadKubeConfig({ kubeconfig: "~/kc" }, {}, home)), "https://file:6443");
      assert.equal(
        server(loadKubeConfig({ kubeconfig: kubeconfigFor("https://inline:6443") }, {}, home)),
        "https://inline:6443",
      );
      // Without kubernetes:kubeconfig, client-go's loading rules (provider.go Configure): KUBECONFIG.
      assert.equal(
        server(loadKubeConfig({}, { KUBECONFIG: path.join(home, "kc") }, home)),
        "https://file:6443",
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("a refresh reads every AWS version (secret_version.go Read calls GetSecretValue), so AWS reads count only when guard.awsReadWithinDays is set", () => {
    const config = parseStackConfig(
      { secrets: { s: { active: "20250101000000", versions: { "20250101000000": { k: "v" } } } } },
      { stack: "staging", now: new Date("2025-02-01T00:00:00Z") },
      (v) => v,
    );
    assert.deepEqual(config.guard, { kubernetes: true, aws: true });
  });

  it("a linked workload's patch names its field manager and never forces (provider.go fieldManagerName; await.go patchForce, Deletion → ssa.Relinquish)", () => {
    const body = linkedPatch("billing", {
      kind: "Deployment",
      namespace: "staging",
      containers: ["api"],
      links: [
        { secret: "s", version: "20250101000000", kubernetesName: "s-20250101000000", keys: ["k"] },
      ],
    });
    assert.deepEqual(body.metadata.annotations, {
      "pulumi.com/patchFieldManager": "secret-rotation",
    });
    assert.ok(!("pulumi.com/patchForce" in body.metadata.annotations));
  });

  it("links through env, merged by name, never envFrom, an atomic list a patch would take over (kubernetes staging/src/k8s.io/api/core/v1/types.go Container: env has patchMergeKey name, envFrom none)", () => {
    const body = linkedPatch("billing", {
      kind: "CronJob",
      namespace: "staging",
      containers: ["api"],
      links: [
        {
          secret: "s",
          version: "20250101000000",
          kubernetesName: "s-20250101000000",
          keys: ["b", "a"],
        },
      ],
    });
    const container = body.spec.jobTemplate!.spec.template.spec.containers[0] as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(container).sort(), ["env", "name"]);
    assert.deepEqual(
      (container.env as { name: string }[]).map((e) => e.name),
      ["a", "b"],
    );
  });
});
