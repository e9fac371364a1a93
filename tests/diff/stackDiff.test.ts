/** TEMPORARY (issue 18): the old stack parser (parse.ts + stack.ts) against the zod one. */
import { strict as assert } from "assert";
import fc from "fast-check";
import { Problems, type AnyField, type Contract } from "../../config/contract/kernel";
import { parseStackConfig } from "../../config/parse";
import * as now from "../../config/contract/stack";
import { ConfigError } from "../../config/errors";
import * as oldStack from "./oldStack";
import * as oldParse from "./oldParse";
import { baseConfig } from "../helpers";

const NOW = new Date("2025-08-01T00:00:00Z");

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(""),
  fc.constant(" 7 "),
  fc.constant("7.0"),
  fc.constant("-0"),
  fc.constant("+7"),
  fc.constant("__proto__"),
  fc.integer({ min: -5, max: 5000 }),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 6 }),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 2 }),
  fc.dictionary(
    fc.string({ maxLength: 4 }),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    {
      maxKeys: 2,
    },
  ),
);

const own = (entries: [string, unknown][]) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
};

const secrets = fc.oneof(
  { weight: 6, arbitrary: fc.constant("base") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      {},
      {
        api: {
          active: "20250101000000",
          versions: { "20250101000000": { k: "v" } },
          delivery: "externalSecrets",
        },
      },
      own([
        ["__proto__", { active: 1 }],
        ["constructor", null],
      ]),
      {
        "auth-api-secrets": {
          active: "20250723110000",
          versions: { "20250701090000": { api_token: "a" }, "20250723110000": { api_token: "b" } },
          canary: { version: "20250701090000", percent: 34 },
          delivery: "externalSecrets",
        },
      },
    ),
  },
  { weight: 1, arbitrary: junk },
);
const workloads = fc.oneof(
  { weight: 6, arbitrary: fc.constant("base") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      {},
      {
        ext: {
          owner: "external",
          kind: "Deployment",
          namespace: "staging",
          secrets: ["auth-api-secrets"],
        },
      },
      own([["__proto__", {}]]),
    ),
  },
  { weight: 1, arbitrary: junk },
);
const field = (good: unknown[], bad: unknown[], strict: boolean) =>
  strict
    ? fc.constantFrom(...good)
    : fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...good, ...bad) },
        { weight: 1, arbitrary: junk },
      );

const configOf = (strict: boolean) =>
  fc
    .record(
      {
        environment: field(["staging", "production", null], ["dev", "prod"], strict),
        namespace: field(["apps", "staging"], ["Bad_NS", "a".repeat(64)], strict),
        retentionDays: field(
          [1, 14, 3650, "30", "+7", "-1", null],
          [3651, " 7 ", "7.0", "-0", 0],
          strict,
        ),
        awsRecoveryWindowDays: field(
          [0, 7, 30, "7", "07", "+7", "-0", "0"],
          [3, 31, " 7", null],
          strict,
        ),
        awsKmsKeyId: field(
          ["alias/app", "arn:aws:kms:us-east-1:123456789012:key/1234"],
          ["bad key", null],
          strict,
        ),
        delivery: field(["direct", null], ["externalSecrets", "Direct"], strict),
        externalSecrets: field(
          [
            { storeRef: { name: "aws", kind: "ClusterSecretStore" } },
            {
              storeRef: { name: "aws", kind: "ClusterSecretStore" },
              store: { region: "us-east-1" },
            },
          ],
          [
            { storeRef: { name: "aws", kind: "SecretStore" }, store: {} },
            { storeRef: { name: "aws", kind: "ClusterSecretStore" }, store: { auth: "irsa" } },
            { storeRef: {}, readyTimeoutSeconds: 10 },
          ],
          strict,
        ),
        promotion: field(
          [null],
          [
            { fromStack: "org/proj/staging" },
            {
              fromStack: "org/proj/staging",
              soakHours: "48",
              override: { "auth-api-secrets": { version: "20250701090000", reason: "hotfix" } },
            },
            { fromStack: "staging", override: { nope: { version: 1, reason: "" } } },
          ],
          strict,
        ),
        guard: field([{ kubernetes: false }, { namespaces: ["a"] }, {}], [{ aws: "no" }], strict),
        secrets: strict ? fc.constant("base") : secrets,
        workloads: strict ? fc.constant("base") : workloads,
      },
      { requiredKeys: [] },
    )
    .chain((c) =>
      fc
        .dictionary(
          fc.constantFrom("__proto__", "constructor", "retentionDay", "secret", "x", "aws:region"),
          junk,
          { maxKeys: strict ? 0 : 2 },
        )
        .map((extra) => {
          const base = baseConfig() as Record<string, unknown>;
          const entries = Object.entries(c).map(([k, v]): [string, unknown] => [
            k,
            v === "base" ? base[k] : v,
          ]);
          if (!("secrets" in c)) entries.push(["secrets", base.secrets]);
          return own([...entries, ...Object.entries(extra)]);
        }),
    );
const config = fc.oneof(configOf(true), configOf(false), configOf(false));

const context = fc.record({
  stack: fc.constantFrom("staging", "production", "dev", "prod", "__proto__"),
  otherKeys: fc.subarray([
    "aws:region",
    "secret_rotation:secrets",
    "aws:secrets",
    "kubernetes:namespace",
    "x",
  ]),
  awsRegion: fc.option(fc.constantFrom("us-east-1", "mars-1"), { nil: undefined }),
});

function run(
  parse: typeof parseStackConfig,
  raw: Record<string, unknown>,
  c: { stack: string; otherKeys: string[]; awsRegion?: string },
) {
  const wrapped: string[] = [];
  const wrap = (s: string) => {
    wrapped.push(s);
    return `wrapped(${wrapped.length})`;
  };
  const ctx = {
    stack: c.stack,
    otherKeys: c.otherKeys,
    now: NOW,
    ...(c.awsRegion !== undefined && { awsRegion: c.awsRegion }),
  };
  try {
    return { out: JSON.stringify({ spec: parse(raw, ctx, wrap), wrapped }), valid: true };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return {
      out: JSON.stringify({ problems: err.problems, message: err.message, wrapped }),
      valid: false,
    };
  }
}

/** Every reference row: path, default text, doc (reference.ts's walk). */
function rows(prefix: string, fields: Contract): string[][] {
  const fieldRows = (key: string, f: AnyField): string[][] => {
    const out = [[key, f.defaultText, f.doc, String(f.kinds)]];
    const nested = f.nested;
    if (!nested) return out;
    const inner = nested.key ? `${key}.${nested.key}` : key;
    if (nested.entry) out.push(...fieldRows(inner, nested.entry));
    if (nested.contract) out.push(...rows(`${inner}.`, nested.contract));
    return out;
  };
  return Object.entries(fields).flatMap(([name, f]) => fieldRows(`${prefix}${name}`, f));
}

describe("differential (temporary): the stack's own keys on zod against the old parser", () => {
  it("parses 3,000 configs alike: specs, problems, paths, order, wrapValue calls", () => {
    const seen = { valid: 0, refused: 0 };
    fc.assert(
      fc.property(config, context, (raw, c) => {
        const a = run(parseStackConfig, raw, c);
        const b = run(oldParse.parseStackConfig, raw, c);
        seen[a.valid ? "valid" : "refused"]++;
        assert.equal(a.out, b.out, JSON.stringify([raw, c]));
      }),
      { numRuns: 3000 },
    );
    console.log(`      ${JSON.stringify(seen)}`);
    assert.ok(seen.valid >= 100 && seen.refused >= 1000, JSON.stringify(seen));
  });

  it("reads the environment alike (plannedStack)", () => {
    fc.assert(
      fc.property(
        field(["dev", "staging", "production"], ["prod", "Dev"], false),
        context,
        (v, c) => {
          const a = new Problems();
          const b = new Problems();
          const ra = now.parseEnvironment(a, v, c.stack);
          const rb = oldStack.STACK_FIELDS.environment.parse(b, "environment", v, c.stack);
          assert.deepEqual([ra, a.list], [rb, b.list]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("writes the same stack file schema, reference rows and field names", () => {
    assert.equal(JSON.stringify(now.stackFileSchema()), JSON.stringify(oldStack.stackFileSchema()));
    assert.deepEqual(rows("", now.STACK_FIELDS), rows("", oldStack.STACK_FIELDS));
    assert.deepEqual(
      now.namespaceWarnings(["aws:secrets", "x:workloads", "kubernetes:namespace"]),
      oldStack.namespaceWarnings(["aws:secrets", "x:workloads", "kubernetes:namespace"]),
    );
  });
});
