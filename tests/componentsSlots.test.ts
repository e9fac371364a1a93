/**
 * The Workload component's blue-green slots used directly, as a library (components/workloads/
 * slots.ts): what it declares for `blueGreen: { live, blue, green }`, and what it refuses.
 */
import { strict as assert } from "assert";
import { type BlueGreenArgs, Workload } from "../components";
import { TYPES, declareWith, inputsOf } from "./helpers";

const link = (version: string) => ({
  secret: "a",
  version,
  kubernetesName: `a-${version}`,
});
const slots: BlueGreenArgs = {
  live: "green",
  blue: { links: [link("20250101000000")], replicas: 2, container: { image: "api:0", port: 80 } },
  green: { links: [link("20250102000000")], replicas: 2 },
};

describe("components as a library: Workload with blueGreen slots", () => {
  it("declares both slot Deployments and one Service selecting the live slot; a slot may keep its own container", async () => {
    const resources = await declareWith(() => {
      new Workload("api", {
        kind: "Deployment",
        namespace: "web",
        container: { image: "api:1", port: 80 },
        blueGreen: slots,
      });
    });
    assert.deepEqual(resources.map((r) => `${r.type}::${r.name}`).sort(), [
      `${TYPES.deployment}::api-blue`,
      `${TYPES.deployment}::api-green`,
      `${TYPES.service}::api-service`,
      `${TYPES.workload}::api`,
    ]);
    const deployment = (name: string) =>
      inputsOf(resources.find((r) => r.type === TYPES.deployment && r.name === name)!);
    const image = (name: string) => deployment(name).spec.template.spec.containers[0].image;
    assert.equal(image("api-blue"), "api:0");
    assert.equal(image("api-green"), "api:1");
    assert.equal(
      deployment("api-green").spec.template.spec.containers[0].envFrom[0].secretRef.name,
      "a-20250102000000",
    );
    const service = inputsOf(resources.find((r) => r.type === TYPES.service)!);
    assert.equal(service.metadata.name, "api");
    assert.deepEqual(service.spec.selector, {
      "app.kubernetes.io/name": "api",
      "secret-rotation/slot": "green",
    });
  });

  for (const [why, args, message] of [
    ["without a port", { container: { image: "api:1" } }, /blueGreen needs container.port/],
    [
      "with a canary",
      {
        container: { image: "api:1", port: 80 },
        canary: { replicas: 1, links: [link("20250102000000")] },
      },
      /blueGreen takes no canary/,
    ],
  ] as const) {
    it(`refuses blueGreen ${why}, declaring nothing`, async () => {
      const resources = await declareWith(() => {
        assert.throws(
          () =>
            new Workload("api", {
              kind: "Deployment",
              namespace: "web",
              blueGreen: slots,
              links: [link("20250101000000")],
              ...args,
            }),
          message,
        );
      });
      assert.deepEqual(resources, []);
    });
  }
});
