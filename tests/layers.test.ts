/**
 * The layers (eslint.config.mjs `layers()`): a folder imports only from the folders below it,
 * so that data flows one way (config → reads → plan → declare) and the components stay a
 * library. The rule is ESLint's own `no-restricted-imports` with a `regex` pattern
 * (eslint lib/rules/no-restricted-imports.js, v9.39): these tests run it on the real config.
 */
import * as assert from "assert";
import { Linter } from "eslint";
import * as tseslint from "typescript-eslint";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ES module config, sync
const { layers } = require("../eslint.config.mjs") as { layers: () => Linter.Config[] };

function problems(file: string, source: string): string[] {
  const linter = new Linter({ configType: "flat" });
  const config: Linter.Config[] = [
    { files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } },
    ...layers(),
  ];
  return linter.verify(source, config, file).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("layers: an upward import fails the lint", () => {
  const cases: [string, string][] = [
    ["core/names.ts", "../config/types"],
    ["components/secrets/awsStore.ts", "../../config/types"],
    ["components/workloads/podTemplate.ts", "../../plan/lifecycle/plan"],
    ["config/contract/canary.ts", "../../plan/lifecycle/states"],
    ["plan/lifecycle/plan.ts", "../../reads/cluster"],
    ["reads/live.ts", "../program/preflight"],
    ["program/preflight.ts", "../offline"],
    ["program/preflight.ts", "../fakes/world"],
    ["offline/mockRuntime.ts", "../scripts/plan"],
    ["scripts/plan.ts", "../fakes/world"],
    ["bench/guard.ts", "../tests/helpers"],
    ["index.ts", "./offline"],
    ["policy/policies.ts", "../components/secrets/rotatedSecret"],
    ["policy/resources.ts", "../program/preflight"],
    // The pack publishes from its folder alone: policy/names.ts copies what it needs of core/.
    ["policy/resources.ts", "../core/names"],
  ];
  for (const [file, target] of cases) {
    it(`${file} may not import ${target}`, () => {
      const found = problems(file, `import { x } from "${target}";\nexport const y = x;\n`);
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0], /^no-restricted-imports: .*imports go downward only/);
    });
  }

  const forms: [string, string][] = [
    ["a dynamic import", `export const m = import("../program/planStack");\n`],
    ["a dynamic import of a template", "export const m = import(`../core/names`);\n"],
    ["a type import", `export type T = typeof import("../../program/planStack");\n`],
    [
      "the package's own name",
      `import { x } from "secret-rotation/components";\nexport const y = x;\n`,
    ],
  ];
  for (const [what, source] of forms) {
    it(`plan/ may not reach upward through ${what}`, () => {
      const found = problems("plan/lifecycle/plan.ts", source);
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0], /imports go downward only|a dynamic import takes a string literal/);
    });
  }

  it("an example may import the package by name", () => {
    const source = `import { x } from "secret-rotation/components";\nexport const y = x;\n`;
    assert.deepEqual(problems("examples/library/index.ts", source), []);
  });

  const allowed: [string, string][] = [
    ["components/secrets/rotatedSecret.ts", "../../core/names"],
    ["components/secrets/rotatedSecret.ts", "../delivery/manifests"],
    ["config/contract/canary.ts", "../../core/canary"],
    ["plan/lifecycle/plan.ts", "../../config/types"],
    ["reads/workloadRead.ts", "../plan/workloads/linkTarget"],
    ["program/declareStack.ts", "../components/secrets/rotatedSecret"],
    ["offline/mockRuntime.ts", "../program/runStack"],
    ["bench/guard.ts", "../fakes/world"],
    ["tests/x.test.ts", "../offline"],
    ["policy/resources.ts", "./names"],
  ];
  for (const [file, target] of allowed) {
    it(`${file} may import ${target}`, () => {
      assert.deepEqual(problems(file, `import { x } from "${target}";\nexport const y = x;\n`), []);
    });
  }
});
