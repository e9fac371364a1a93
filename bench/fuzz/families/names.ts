/**
 * Fuzz families: names and values Kubernetes and AWS check: secret, workload and namespace
 * names, env var names and values, image references. Each family cites the upstream rule that
 * decides its verdicts.
 */
import { type Family, type Spec, type Verdict, cfg } from "../model";
import { chars, values, dep } from "./helpers";

export const NAME_FAMILIES: Family[] = [
  {
    name: "secret-name",
    rule: "kubernetes (master, as indexed) apimachinery/pkg/util/validation/validation.go IsDNS1123Subdomain (Secret names) and IsValidLabelValue (63 characters: the secret-rotation/secret label)",
    make: (b) =>
      (
        [
          [chars(63), "accepted"],
          [chars(64), "refused"],
          ["Auth", "refused"],
          ["auth.api", "accepted"],
          ["-auth", "refused"],
          ["auth_api", "refused"],
          ["constructor", "accepted"],
        ] as const
      ).map(([name, verdict]) => ({
        what: `secret renamed ${name.length > 40 ? `${name.length} characters` : name}`,
        path: `secrets.${name}`,
        verdict,
        edit: (e) => e.renameSecret(b.secret, name),
      })),
  },
  {
    name: "workload-name",
    rule: "kubernetes (master, as indexed) pkg/apis/core/validation ValidateServiceName (DNS-1035 label: a Deployment with a port gets a Service of its name), validateContainers (container name: DNS-1123 label), pkg/apis/batch/validation ValidateCronJobCreate (52 characters)",
    make: (b) => {
      const out: Spec[] = [];
      const rename = (from: string, to: string, verdict: Verdict) =>
        out.push({
          what: `workload ${from} renamed ${to.length > 40 ? `${to.length} characters` : to}`,
          path: `workloads.${to}`,
          verdict,
          edit: (e) => e.renameKey(cfg("workloads"), from, to),
        });
      if (b.deployment) {
        rename(b.deployment, chars(63, "d"), "accepted");
        rename(b.deployment, chars(64, "d"), "refused");
        rename(b.deployment, "9svc", "refused");
        rename(b.deployment, "Auth", "refused");
        rename(b.deployment, "constructor", "accepted");
      }
      if (b.cronJob) {
        rename(b.cronJob, chars(52, "c"), "accepted");
        rename(b.cronJob, chars(53, "c"), "refused");
      }
      return out;
    },
  },
  {
    name: "namespace",
    rule: "kubernetes (master, as indexed) pkg/apis/core/validation ValidateNamespaceName: a DNS-1123 label (63)",
    make: values(
      () => ({ doc: cfg("namespace"), path: "namespace" }),
      [
        [chars(63, "n"), "accepted"],
        [chars(64, "n"), "refused"],
        ["Prod", "refused"],
        ["team-a", "accepted"],
      ],
    ),
  },
  {
    name: "env-var-name",
    rule: "kubernetes (master, as indexed) apimachinery validation IsEnvVarName ([-._a-zA-Z][-._a-zA-Z0-9]*) and, when relaxed, RelaxedEnvVarName (printable ASCII without '='): both refuse '' and 'A=B'",
    make: (b) => {
      if (!b.deployment) return [];
      const d = b.deployment;
      return (
        [
          ["LOG_FORMAT", "accepted"],
          ["log.format-x", "accepted"],
          ["", "refused"],
          ["A=B", "refused"],
        ] as const
      ).map(([name, verdict]) => ({
        what: `env name ${JSON.stringify(name)}`,
        path: `workloads.${d}.env${name === "" ? "" : `.${name}`}`,
        verdict,
        edit: (e) => e.set(cfg("workloads", d, "env", name), "x"),
      }));
    },
  },
  {
    name: "env-var-value",
    rule: "kubernetes core/v1 EnvVar.value is a string (the product writes numbers and booleans as text; docs/config-reference.md env: plain values)",
    make: (b) => {
      if (!b.deployment) return [];
      const d = b.deployment;
      return (
        [
          ["7", "accepted"],
          ["true", "accepted"],
          ["'text'", "accepted"],
          ["{ a: 1 }", "refused"],
          ["[a, b]", "refused"],
        ] as const
      ).map(([yaml, verdict]) => ({
        what: `env value ${yaml}`,
        path: `workloads.${d}.env.EXTRA`,
        verdict,
        edit: (e) => e.set(cfg("workloads", d, "env", "EXTRA"), e.raw(yaml)),
      }));
    },
  },
  {
    name: "image-reference",
    rule: "kubernetes (master, as indexed) pkg/apis/core/validation/validation.go validateContainerOnlyForPod: an image 'must not have leading or trailing whitespace' (pods: the ReplicaSet's pods are refused, so the rollout never completes); otherwise the API server does not parse images",
    make: values(dep("image"), [
      ['"registry.example.com/auth-service@sha256:' + chars(64, "f") + '"', "accepted"],
      ['"auth-service"', "accepted"],
      ['"localhost:5000/auth-service:1.8.0"', "accepted"],
      ['" registry.example.com/auth-service:1.8.0"', "refused"],
      ['"registry.example.com/auth-service:1.8.0 "', "refused"],
      ['""', "refused"],
    ]),
  },
];
