/**
 * `delivery` and `externalSecrets`: how a version reaches the cluster. `direct` (the default):
 * the program writes each version as a Kubernetes Secret. `externalSecrets`: the program writes
 * an ExternalSecret per version and the External Secrets Operator (ESO) copies the value from
 * AWS, so no secret value passes through the Kubernetes provider or its state.
 * Declared in zod (config/zod/field.ts); `deliveryMode` is the delivery field of the stack and
 * of each secret, and `parseExternalSecrets` keeps its signature for stackFields.ts.
 */
import { PROJECT } from "../../core/project";
import {
  awsRegionProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  iamRoleArnProblem,
} from "../rules";
import { z } from "zod";
import { type Problems, join, list } from "../../core/problems";
import { isObject, intSchema } from "../zod/vocabulary";
import { contractOf } from "../zod/view";
import { fields, jsonSchema, oneOf, parseInto } from "../zod/field";
import { nested } from "../zod/nested";

export const DELIVERIES = ["direct", "externalSecrets"] as const;
export type Delivery = (typeof DELIVERIES)[number];
export const DEFAULT_DELIVERY: Delivery = "direct";

export const STORE_KINDS = ["ClusterSecretStore", "SecretStore"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * How ESO authenticates to AWS (ESO docs/provider/aws-access.md, v2.9.0): `podIdentity`, no
 * `auth` block, so ESO uses its own pod's credentials (an EKS Pod Identity association, or IRSA
 * on ESO's own service account); `irsa`, `auth.jwt.serviceAccountRef`, so ESO requests a token
 * for the named service account and assumes the role its `eks.amazonaws.com/role-arn`
 * annotation names. ESO cannot impersonate a service account bound by Pod Identity, so `irsa`
 * is the only mode that takes a service account.
 */
export const STORE_AUTHS = ["podIdentity", "irsa"] as const;
export type StoreAuth = (typeof STORE_AUTHS)[number];

export const DEFAULT_READY_TIMEOUT_SECONDS = 300;
export const MAX_READY_TIMEOUT_SECONDS = 3600;

/**
 * A delivery mode: `fallback` when absent or null. `defaultText` when the default is not a
 * literal (a secret's is the stack's `delivery`).
 */
export function deliveryMode(
  fallback: Delivery,
  doc: { description: string; defaultText?: string },
) {
  return z
    .unknown()
    .meta({
      enum: [...DELIVERIES],
      description: `${list(DELIVERIES.map((d) => `\`${d}\``))}: ${doc.description}`,
      ...(doc.defaultText === undefined ? { default: fallback } : { defaultText: doc.defaultText }),
    })
    .optional()
    .transform((value, ctx): Delivery => {
      if (value === undefined || value === null) return fallback;
      if (typeof value === "string" && (DELIVERIES as readonly string[]).includes(value)) {
        return value as Delivery;
      }
      ctx.addIssue(
        `${JSON.stringify(value)} is not a delivery mode; allowed: ${list(DELIVERIES)} (default ${fallback})`,
      );
      return fallback;
    });
}

/** A required Kubernetes object name: `is required: <what>` when absent, empty or not text. */
function objectName(what: string, rule: (name: string) => string | undefined) {
  return z
    .unknown()
    .meta({ type: "string", minLength: 1, description: what })
    .transform((value, ctx) => {
      if (typeof value !== "string" || value === "") {
        ctx.addIssue(`is required: ${what}`);
        return "";
      }
      const problem = rule(value);
      if (problem) ctx.addIssue(problem);
      return value;
    });
}

const STORE_REF_SHAPE = {
  name: objectName("the name of the store ESO reads AWS through", dns1123SubdomainProblem),
  kind: oneOf(STORE_KINDS, {
    description: "a cluster-wide store, or one in the stack's namespace",
  }),
};
const STORE_REF_SCHEMA = fields(STORE_REF_SHAPE, "an object { name, kind }");
export const STORE_REF_FIELDS = contractOf(STORE_REF_SHAPE);

export interface StoreRefSpec {
  name: string;
  kind: StoreKind;
}

const SERVICE_ACCOUNT_SHAPE = {
  name: objectName("the service account whose IAM role ESO assumes", dns1123SubdomainProblem),
  namespace: objectName("the service account's namespace", dns1123LabelProblem),
};
const SERVICE_ACCOUNT_SCHEMA = fields(SERVICE_ACCOUNT_SHAPE, "an object { name, namespace }");
export const SERVICE_ACCOUNT_FIELDS = contractOf(SERVICE_ACCOUNT_SHAPE);

function storeShape(awsRegion?: string) {
  return {
    region: z
      .unknown()
      .meta({
        type: "string",
        description: "the AWS region ESO reads from (where the program writes the secrets)",
        defaultText: "`aws:region`",
      })
      .optional()
      .transform((value, ctx): string => {
        const region = value ?? awsRegion;
        if (typeof region !== "string" || region === "") {
          ctx.addIssue(
            value === undefined || awsRegion === undefined
              ? "is required when aws:region is not set: the AWS region the secrets are written to (such as us-east-1)"
              : "must be an AWS region (such as us-east-1), or left out to use aws:region",
          );
          return "";
        }
        const problem = awsRegionProblem(region);
        if (problem) ctx.addIssue(problem);
        return region;
      }),
    auth: oneOf(STORE_AUTHS, {
      default: "podIdentity",
      description:
        "with `podIdentity` ESO reads with its own credentials (an EKS Pod Identity association, or IRSA on ESO's service account), with `irsa` as the role of `serviceAccount`",
    }),
    serviceAccount: nested(
      SERVICE_ACCOUNT_SCHEMA,
      ["name", "namespace"],
      "an object { name, namespace }",
      {
        description:
          "with `auth: irsa`: `{ name, namespace }` of the service account annotated with `eks.amazonaws.com/role-arn`",
        defaultText: "none",
      },
    ),
    role: z
      .unknown()
      .meta({
        type: "string",
        description: "an IAM role ARN ESO assumes (`sts:AssumeRole`) before reading",
        defaultText: "none",
      })
      .optional()
      .transform((value, ctx): string | undefined => {
        if (value === undefined || value === null) return undefined;
        const problem = typeof value === "string" ? iamRoleArnProblem(value) : "must be a string";
        if (problem) ctx.addIssue(problem);
        return typeof value === "string" ? value : undefined;
      }),
  };
}
const STORE_ORDER = ["region", "auth", "serviceAccount", "role"];
export const STORE_FIELDS = contractOf(storeShape(), {
  serviceAccount: { contract: SERVICE_ACCOUNT_FIELDS },
});

/** The ClusterSecretStore the program declares. */
export interface StoreSpec {
  region: string;
  auth: StoreAuth;
  serviceAccount?: { name: string; namespace: string };
  role?: string;
}

/** The store's own fields, then its auth rule (run after the field problems, as today). */
function storeSchema(awsRegion?: string) {
  const what = "an object { region, auth, serviceAccount, role }";
  const schema = fields(storeShape(awsRegion), what);
  return nested(
    schema,
    STORE_ORDER,
    what,
    {
      description: "declare the ClusterSecretStore `storeRef.name` (AWS Secrets Manager provider)",
      defaultText: "none: the store exists already",
    },
    undefined,
    storeAuthRule,
  ).transform((store): StoreSpec | undefined =>
    store
      ? {
          region: store.region,
          auth: store.auth,
          ...(store.serviceAccount && { serviceAccount: store.serviceAccount }),
          ...(store.role !== undefined && { role: store.role }),
        }
      : undefined,
  );
}

/** The store's auth as today's parser reads it: the default when absent or not allowed. */
const authOf = (value: unknown): StoreAuth =>
  (STORE_AUTHS as readonly unknown[]).includes(value) ? (value as StoreAuth) : "podIdentity";

/** `irsa` takes a service account, `podIdentity` none (see STORE_AUTHS). */
function storeAuthRule(
  store: Record<string, unknown>,
  report: (path: string, message: string) => void,
): void {
  const auth = authOf(store.auth);
  const serviceAccount = isObject(store.serviceAccount);
  if (auth === "irsa" && !serviceAccount) {
    report(
      "serviceAccount",
      "is required with auth: irsa: { name, namespace } of the service account annotated with eks.amazonaws.com/role-arn",
    );
  }
  if (auth === "podIdentity" && serviceAccount) {
    report(
      "serviceAccount",
      "is not allowed with auth: podIdentity (ESO cannot impersonate a service account bound by EKS Pod Identity); use auth: irsa, or leave serviceAccount out",
    );
  }
}

function externalSecretsShape(awsRegion?: string) {
  return {
    storeRef: nested(
      STORE_REF_SCHEMA,
      ["name", "kind"],
      "an object { name, kind }",
      {
        description:
          "`{ name, kind }`: the SecretStore or ClusterSecretStore every ExternalSecret reads through",
      },
      `is required: { name, kind } of the store ESO reads AWS through; kind: ${list(STORE_KINDS)}`,
    ),
    store: storeSchema(awsRegion),
    readyTimeoutSeconds: z
      .unknown()
      .meta({
        ...intSchema(30, MAX_READY_TIMEOUT_SECONDS),
        description: `seconds \`pulumi up\` waits for an ExternalSecret (or the store) to be Ready, or to be deleted, 30–${MAX_READY_TIMEOUT_SECONDS}`,
        default: DEFAULT_READY_TIMEOUT_SECONDS,
      })
      .optional()
      .transform((value, ctx): number => readyTimeout(value, (m) => ctx.addIssue(m))),
  };
}
const EXTERNAL_SECRETS_ORDER = ["storeRef", "store", "readyTimeoutSeconds"];

/** A whole number of seconds (absent, null or empty text: the default). */
function readyTimeout(value: unknown, report: (message: string) => void): number {
  if (value === undefined || value === null || value === "") return DEFAULT_READY_TIMEOUT_SECONDS;
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (
    typeof n !== "number" ||
    !Number.isSafeInteger(n) ||
    n < 30 ||
    n > MAX_READY_TIMEOUT_SECONDS
  ) {
    report(
      `${JSON.stringify(value)} is not allowed; a whole number of seconds from 30 to ${MAX_READY_TIMEOUT_SECONDS} (default ${DEFAULT_READY_TIMEOUT_SECONDS})`,
    );
    return DEFAULT_READY_TIMEOUT_SECONDS;
  }
  return n;
}

export const EXTERNAL_SECRETS_FIELDS = contractOf(externalSecretsShape(), {
  storeRef: { contract: STORE_REF_FIELDS },
  store: { contract: STORE_FIELDS },
});

export interface ExternalSecretsSpec {
  storeRef: StoreRefSpec;
  store?: StoreSpec;
  readyTimeoutSeconds: number;
}

export const EXTERNAL_SECRETS_SCHEMA = jsonSchema(
  fields(externalSecretsShape(), "an object { storeRef, store, readyTimeoutSeconds }"),
);

/**
 * `externalSecrets`, required when a secret is delivered by ESO (`usedBy` lists them); given
 * otherwise, it is still validated (and its store declared), so it can be set up ahead.
 */
export function parseExternalSecrets(
  p: Problems,
  path: string,
  value: unknown,
  context: { usedBy: readonly string[]; awsRegion?: string },
): ExternalSecretsSpec | undefined {
  if (value === undefined || value === null) {
    if (context.usedBy.length > 0) {
      p.add(
        join(path, "storeRef"),
        `is required: ${list(context.usedBy)} ${context.usedBy.length === 1 ? "is" : "are"} delivered by externalSecrets; set ${PROJECT}:${path}.storeRef to { name, kind } of the store ESO reads AWS through`,
      );
    }
    return undefined;
  }
  if (!isObject(value)) {
    p.add(path, "must be an object { storeRef, store, readyTimeoutSeconds }");
    return undefined;
  }
  const what = "an object { storeRef, store, readyTimeoutSeconds }";
  const schema = fields(externalSecretsShape(context.awsRegion), what);
  const spec = parseInto(schema, p, path, value, EXTERNAL_SECRETS_ORDER);
  // The rule spanning fields, after the field problems, on the values as given: the store
  // refused when the reference names a valid SecretStore (a missing or refused kind reads as
  // ClusterSecretStore, as today).
  const kind = isObject(value.storeRef) ? value.storeRef.kind : undefined;
  if (isObject(value.store) && kind === "SecretStore") {
    p.add(
      join(path, "store"),
      "declares a ClusterSecretStore, so storeRef.kind must be ClusterSecretStore (it is SecretStore)",
    );
  }
  if (!spec?.storeRef) return undefined;
  const { storeRef, store, readyTimeoutSeconds } = spec;
  return { storeRef, ...(store && { store }), readyTimeoutSeconds };
}
