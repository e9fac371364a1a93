/**
 * Fuzz families: numbers as Pulumi reads them: the integer keys Pulumi.yaml declares
 * (strconv.Atoi of the value's text), the ranges of the product's contract, NaN and infinity
 * nested anywhere, and the number forms yaml.v3 reads. Each family cites the upstream rule that
 * decides its verdicts.
 */
import { type Family, type Editor, cfg, type Key } from "../model";
import { pulumiIntegerVerdict, retentionOk, recoveryOk } from "../rules";
import { INT_FORMS, values, dep } from "./helpers";

export const NUMBER_FAMILIES: Family[] = [
  {
    name: "pulumi-integer-retentionDays",
    rule: "pulumi v3.248.0 sdk/go/common/workspace/config.go validateStackConfigValue -> project.go ValidateConfigValue (integer: strconv.Atoi of the value's text; object.go MarshalString gives an unquoted number's JSON)",
    make: values(
      () => ({ doc: cfg("retentionDays"), path: "retentionDays" }),
      INT_FORMS.map((f) => [f, pulumiIntegerVerdict(f, retentionOk)] as const),
    ),
  },
  {
    name: "pulumi-integer-awsRecoveryWindowDays",
    rule: "pulumi v3.248.0 sdk/go/common/workspace/project.go ValidateConfigValue (as above); AWS DeleteSecret RecoveryWindowInDays 7-30, 0 = ForceDeleteWithoutRecovery (terraform-provider-aws internal/service/secretsmanager/secret.go recovery_window_in_days)",
    make: values(
      () => ({ doc: cfg("awsRecoveryWindowDays"), path: "awsRecoveryWindowDays" }),
      INT_FORMS.map((f) => [f, pulumiIntegerVerdict(f, recoveryOk)] as const),
    ),
  },
  {
    name: "retentionDays-range",
    rule: "Pulumi.yaml description and docs/config-reference.md: a whole number from 1 to 3650 (the product's contract)",
    make: values(
      () => ({ doc: cfg("retentionDays"), path: "retentionDays" }),
      [
        ["0", "refused"],
        ["1", "accepted"],
        ["3650", "accepted"],
        ["3651", "refused"],
        ["-1", "refused"],
      ],
    ),
  },
  {
    name: "secret-retentionDays-range",
    rule: "docs/config-reference.md secrets.<name>.retentionDays: whole number 1-3650 (the product's contract)",
    make: values(
      (b) => ({
        doc: cfg("secrets", b.secret, "retentionDays"),
        path: `secrets.${b.secret}.retentionDays`,
      }),
      [
        ["0", "refused"],
        ["1", "accepted"],
        ["3650", "accepted"],
        ["3651", "refused"],
        ["'30'", "accepted"],
      ],
    ),
  },
  {
    name: "maxAgeDays-range",
    rule: "docs/config-reference.md maxAgeDays: whole number 1-3650 written as digits, absent is off (the product's contract, issue 21; not declared in Pulumi.yaml, so the program applies retentionDays' text rule)",
    make: values(
      () => ({ doc: cfg("maxAgeDays"), path: "maxAgeDays" }),
      [
        ["0", "refused"],
        ["1", "accepted"],
        ["3650", "accepted"],
        ["3651", "refused"],
        ["-1", "refused"],
        ["' 90 '", "refused"],
      ],
    ),
  },
  {
    name: "secret-maxAgeDays-range",
    rule: "docs/config-reference.md secrets.<name>.maxAgeDays: whole number 1-3650 (the product's contract, issue 21)",
    make: values(
      (b) => ({
        doc: cfg("secrets", b.secret, "maxAgeDays"),
        path: `secrets.${b.secret}.maxAgeDays`,
      }),
      [
        ["0", "refused"],
        ["1", "accepted"],
        ["3651", "refused"],
        ["'90'", "accepted"],
        ["2.5", "refused"],
      ],
    ),
  },
  {
    name: "awsRecoveryWindowDays-range",
    rule: "AWS Secrets Manager DeleteSecret RecoveryWindowInDays: 7 to 30, or ForceDeleteWithoutRecovery (0); terraform-provider-aws internal/service/secretsmanager/secret.go recovery_window_in_days (IntBetween(7,30) or 0)",
    make: values(
      () => ({ doc: cfg("awsRecoveryWindowDays"), path: "awsRecoveryWindowDays" }),
      [
        ["0", "accepted"],
        ["6", "refused"],
        ["7", "accepted"],
        ["30", "accepted"],
        ["31", "refused"],
      ],
    ),
  },
  {
    name: "nested-nan",
    rule: "pulumi v3.248.0 sdk/go/common/resource/config/object.go object.MarshalString -> json.Marshal, which refuses NaN and +-Inf ('json: unsupported value'), so the CLI cannot hand such an object to the program",
    make: (b) => {
      const targets: { doc: Key[]; path: string }[] = [
        {
          doc: cfg("secrets", b.secret, "generate", b.generated[0] ?? "k", "length"),
          path: `secrets.${b.secret}.generate.${b.generated[0] ?? "k"}.length`,
        },
      ];
      const d = dep("replicas")(b);
      if (d) targets.push(d);
      const port = dep("port")(b);
      if (port) targets.push(port);
      if (b.hasPromotion)
        targets.push({ doc: cfg("promotion", "soakHours"), path: "promotion.soakHours" });
      return targets.flatMap((t) =>
        [".nan", ".inf", "-.inf"].map((yaml) => ({
          what: `${t.path}: ${yaml}`,
          path: t.path,
          verdict: "refused" as const,
          edit: (e: Editor) => e.set(t.doc, e.raw(yaml)),
        })),
      );
    },
  },
  {
    name: "nested-number-forms",
    rule: "pulumi v3.248.0 sdk/go/common/resource/config/object.go MarshalJSON: an object's numbers reach the program as JSON (7.0 -> 7, 1e1 -> 10, 0x10 -> 16 via yaml.v3 resolve.go); a fraction or a boolean is no int32 (k8s apps/v1 DeploymentSpec.Replicas *int32)",
    make: values(dep("replicas"), [
      ["7.0", "accepted"],
      ["1e1", "accepted"],
      ["0x10", "accepted"],
      ["'3'", "accepted"],
      ["7.5", "refused"],
      ["true", "refused"],
      ["'three'", "refused"],
      ["~", "accepted"],
    ]),
  },
];
