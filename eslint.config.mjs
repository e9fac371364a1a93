// ESLint flat config: typescript-eslint's type-aware rules plus Pulumi's own rules, which catch
// an Output interpolated into a template string (it prints "Calling [toString] on an Output").
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

/**
 * The layers, lowest first: a folder imports only from the folders before it (CONTRIBUTING.md,
 * "Layers"). `core` is shared vocabulary; `components` is the library (Pulumi components, usable
 * from any program, owning their argument types); `config` reads and checks the stack config;
 * `plan` holds the pure decisions; `reads` reads the outside world; `program` wires one update
 * (config → reads → plan → declare → export); `offline` runs the program under the mock
 * runtime; `fakes` are the loopback Kubernetes API and Secrets Manager; `scripts` and `bench`
 * are the command lines. Tests may import anything.
 */
const LAYERS = ["core", "components", "config", "plan", "reads", "program", "offline", "fakes"];
const TOOLS = ["scripts", "bench", "tests"];

export function layers() {
  const upward = (names, from = "(\\.\\./)+") => {
    const message = `imports go downward only (layers, lowest first: ${LAYERS.join(" → ")}); this folder may not import ${names.join(", ")}`;
    // A relative import whose first folder is a layer above this one (or a tool).
    const regex = `^${from}(${names.join("|")})(/|$)`;
    // The package's own name (package.json `exports`) reaches every layer: examples only.
    const self = "^secret-rotation(/|$)";
    // esquery regex literals end at a `/`: escape it inside.
    const selector = (r) => `/${r.replaceAll("/", "\\/")}/`;
    return {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex, message },
            { regex: self, message: `${message}; the package name is for other programs` },
          ],
        },
      ],
      // What no-restricted-imports does not see: `import("...")` and `typeof import("...")`.
      "no-restricted-syntax": [
        "error",
        {
          selector: 'ImportExpression[source.type!="Literal"]',
          message: "a dynamic import takes a string literal, so that the layer rule can read it",
        },
        ...[regex, self].flatMap((r) => [
          { selector: `ImportExpression[source.value=${selector(r)}]`, message },
          { selector: `TSImportType[argument.literal.value=${selector(r)}]`, message },
        ]),
      ],
    };
  };
  const blocks = LAYERS.map((layer, i) => ({
    files: [`${layer}/**/*.ts`],
    rules: upward([...LAYERS.slice(i + 1), ...TOOLS]),
  }));
  return [
    ...blocks,
    // The program's entry point sits at the root: its imports start with `./`.
    { files: ["index.ts"], rules: upward(["offline", "fakes", ...TOOLS], "\\./") },
    { files: ["scripts/**/*.ts"], rules: upward(["fakes", "bench", "tests"]) },
    { files: ["bench/**/*.ts"], rules: upward(["tests"]) },
    // The policy pack runs and publishes from its folder alone (policy/names.ts copies what it
    // needs from core/): it imports no layer.
    { files: ["policy/**/*.ts"], rules: upward([...LAYERS, ...TOOLS]) },
    {
      // An example is another program: it imports the package (`secret-rotation/components`,
      // package.json `exports`) as its users would, never a file of this repository.
      files: ["examples/**/*.ts"],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                regex: "^\\.\\.?/",
                message: "an example imports the package (secret-rotation/components), not files",
              },
            ],
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "eslint.config.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // The CLI, the benchmark and the tests print their results; the offline runtime captures them.
    files: ["scripts/**/*.ts", "offline/**/*.ts", "bench/**/*.ts", "tests/**/*.ts"],
    rules: { "no-console": "off" },
  },
  ...layers(),
  {
    // Tests and their fakes read the untyped inputs the engine receives; `any` is what they are.
    files: ["tests/**/*.ts", "fakes/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Plain CommonJS (the mocha reporter): no type information, Node's globals.
    files: ["**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: "commonjs",
      globals: { console: "readonly", module: "writable", require: "readonly" },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      "@pulumi/no-output-in-template-literal": "off",
      "@pulumi/no-output-instance-in-template-literal": "off",
      "@typescript-eslint/no-floating-promises": "off",
      "@typescript-eslint/no-require-imports": "off",
      "no-console": "off",
    },
  },
);
