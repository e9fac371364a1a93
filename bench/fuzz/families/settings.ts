/**
 * Fuzz families: the remaining settings: resource quantities, canary, promotion, environment,
 * the KMS key. Each family cites the upstream rule that decides its verdicts.
 */
import { type Family, type Spec, type Verdict, cfg } from "../model";
import { values, versioned } from "./helpers";

export const SETTING_FAMILIES: Family[] = [
  {
    name: "resources-quantity",
    rule: "kubernetes (master, as indexed) apimachinery/pkg/api/resource/quantity.go ParseQuantity; pkg/apis/core/validation ValidateResourceRequirements (non-negative, request <= limit)",
    make: (b) => {
      if (!b.deployment) return [];
      const d = b.deployment;
      const cases: [string, Record<string, unknown>, Verdict, string][] = [
        ["cpu 250m", { requests: { cpu: "250m" } }, "accepted", "requests.cpu"],
        ["cpu 0.5", { requests: { cpu: "0.5" } }, "accepted", "requests.cpu"],
        ["cpu 1e3", { requests: { cpu: "1e3" } }, "accepted", "requests.cpu"],
        ["memory 1.5Gi", { limits: { memory: "1.5Gi" } }, "accepted", "limits.memory"],
        ["cpu abc", { requests: { cpu: "abc" } }, "refused", "requests.cpu"],
        ["memory 128MB", { limits: { memory: "128MB" } }, "refused", "limits.memory"],
        ["cpu -1", { requests: { cpu: "-1" } }, "refused", "requests.cpu"],
        [
          "request over limit",
          { requests: { memory: "1Gi" }, limits: { memory: "512Mi" } },
          "refused",
          "requests.memory",
        ],
      ];
      return cases.map(([what, value, verdict, at]) => ({
        what: `resources: ${what}`,
        path: `workloads.${d}.resources.${at}`,
        verdict,
        edit: (e) => e.set(cfg("workloads", d, "resources"), value),
      }));
    },
  },
  {
    name: "canary",
    rule: "docs/canary.md: version is a listed version other than active, percent 1-100 (the product's contract)",
    make: (b) => {
      if (!versioned(b) || b.versions.length < 2) return [];
      const older = b.versions.find((v) => v !== b.active)!;
      const at = `secrets.${b.secret}.canary`;
      const c = (what: string, value: unknown, verdict: Verdict, path: string): Spec => ({
        what: `canary ${what}`,
        path,
        verdict,
        edit: (e) => e.set(cfg("secrets", b.secret, "canary"), value),
      });
      return [
        c("percent 0", { version: older, percent: 0 }, "refused", `${at}.percent`),
        c("percent 101", { version: older, percent: 101 }, "refused", `${at}.percent`),
        c("of the active version", { version: b.active, percent: 25 }, "refused", `${at}.version`),
        c(
          "of an unlisted version",
          { version: "20250101000000", percent: 25 },
          "refused",
          `${at}.version`,
        ),
      ];
    },
  },
  {
    name: "promotion",
    rule: "pulumi v3.248.0 sdk/go/common/tokens StackReference names (<org>/<project>/<stack>, [A-Za-z0-9_.-]); docs/config-reference.md promotion.soakHours whole number >= 0",
    make: (b) =>
      !b.hasPromotion
        ? []
        : [
            {
              what: "fromStack with a space",
              path: "promotion.fromStack",
              verdict: "refused",
              edit: (e) => e.set(cfg("promotion", "fromStack"), "acme/secret rotation/staging"),
            },
            {
              what: "soakHours -1",
              path: "promotion.soakHours",
              verdict: "refused",
              edit: (e) => e.set(cfg("promotion", "soakHours"), -1),
            },
            {
              what: "fromStack a bare stack name",
              path: "promotion.fromStack",
              verdict: "accepted",
              edit: (e) => e.set(cfg("promotion", "fromStack"), "staging"),
            },
          ],
  },
  {
    name: "environment",
    rule: "PRODUCT.md: environment is dev | staging | production (the product's contract)",
    make: values(
      () => ({ doc: cfg("environment"), path: "environment" }),
      [
        ["prod", "refused"],
        ["Production", "refused"],
      ],
    ),
  },
  {
    name: "awsKmsKeyId",
    rule: "AWS Secrets Manager CreateSecret KmsKeyId: a key id, key ARN, alias name (alias/...) or alias ARN",
    make: values(
      () => ({ doc: cfg("awsKmsKeyId"), path: "awsKmsKeyId" }),
      [
        ["alias/rotation", "accepted"],
        ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "accepted"],
        ["1234abcd-12ab-34cd-56ef-1234567890ab", "accepted"],
        ["rotation", "refused"],
      ],
    ),
  },
];
