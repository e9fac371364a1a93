/**
 * `delivery` and `externalSecrets`: how a version reaches the cluster. `direct` (the default):
 * the program writes each version as a Kubernetes Secret. `externalSecrets`: the program writes
 * an ExternalSecret per version and the External Secrets Operator (ESO) copies the value from
 * AWS, so no secret value passes through the Kubernetes provider or its state.
 */
import { PROJECT } from "../../core/project";
import {
  awsRegionProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  iamRoleArnProblem,
} from "../rules";
import {
  Problems,
  checkFields,
  contract,
  int,
  join,
  list,
  objectField,
  objectSchema,
  oneOf,
  parseFields,
} from "./kernel";

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

/** A delivery mode; `fallback` when absent. */
export function deliveryField(defaultText: string, doc: string) {
  return {
    presence: "default" as const,
    defaultText,
    doc: `${list(DELIVERIES.map((d) => `\`${d}\``))}: ${doc}`,
    schema: { enum: [...DELIVERIES] },
    parse: (p: Problems, path: string, value: unknown, fallback: Delivery): Delivery => {
      if (value === undefined || value === null) return fallback;
      if (typeof value === "string" && (DELIVERIES as readonly string[]).includes(value)) {
        return value as Delivery;
      }
      p.add(
        path,
        `${JSON.stringify(value)} is not a delivery mode; allowed: ${list(DELIVERIES)} (default ${fallback})`,
      );
      return fallback;
    },
  };
}

/** A required Kubernetes object name. */
function objectName(what: string, rule: (name: string) => string | undefined) {
  return {
    presence: "required" as const,
    defaultText: "required",
    doc: what,
    schema: { type: "string", minLength: 1 },
    parse: (p: Problems, path: string, value: unknown): string => {
      if (typeof value !== "string" || value === "") {
        p.add(path, `is required: ${what}`);
        return "";
      }
      const problem = rule(value);
      if (problem) p.add(path, problem);
      return value;
    },
  };
}

export const STORE_REF_FIELDS = contract({
  name: objectName("the name of the store ESO reads AWS through", dns1123SubdomainProblem),
  kind: oneOf<StoreKind>(STORE_KINDS, {
    doc: "a cluster-wide store, or one in the stack's namespace",
  }),
});

export interface StoreRefSpec {
  name: string;
  kind: StoreKind;
}

export const SERVICE_ACCOUNT_FIELDS = contract({
  name: objectName("the service account whose IAM role ESO assumes", dns1123SubdomainProblem),
  namespace: objectName("the service account's namespace", dns1123LabelProblem),
});

export const STORE_FIELDS = contract({
  region: {
    presence: "default",
    defaultText: "`aws:region`",
    doc: "the AWS region ESO reads from (where the program writes the secrets)",
    schema: { type: "string" },
    parse: (p: Problems, path: string, value: unknown, awsRegion?: string): string => {
      const region = value ?? awsRegion;
      if (typeof region !== "string" || region === "") {
        p.add(
          path,
          "is required when aws:region is not set: the AWS region the secrets are written to (such as us-east-1)",
        );
        return "";
      }
      const problem = awsRegionProblem(region);
      if (problem) p.add(path, problem);
      return region;
    },
  },
  auth: oneOf<StoreAuth>(STORE_AUTHS, {
    default: "podIdentity",
    doc: "with `podIdentity` ESO reads with its own credentials (an EKS Pod Identity association, or IRSA on ESO's service account), with `irsa` as the role of `serviceAccount`",
  }),
  serviceAccount: {
    presence: "optional",
    defaultText: "none",
    doc: "with `auth: irsa`: `{ name, namespace }` of the service account annotated with `eks.amazonaws.com/role-arn`",
    schema: objectSchema(SERVICE_ACCOUNT_FIELDS),
    nested: { contract: SERVICE_ACCOUNT_FIELDS },
    parse: (p: Problems, path: string, value: unknown) => {
      const raw = objectField(p, path, value, "an object { name, namespace }");
      return raw && parseFields(p, path, raw, SERVICE_ACCOUNT_FIELDS);
    },
  },
  role: {
    presence: "optional",
    defaultText: "none",
    doc: "an IAM role ARN ESO assumes (`sts:AssumeRole`) before reading",
    schema: { type: "string" },
    parse: (p: Problems, path: string, value: unknown): string | undefined => {
      if (value === undefined || value === null) return undefined;
      const problem = typeof value === "string" ? iamRoleArnProblem(value) : "must be a string";
      if (problem) p.add(path, problem);
      return typeof value === "string" ? value : undefined;
    },
  },
});

/** The ClusterSecretStore the program declares. */
export interface StoreSpec {
  region: string;
  auth: StoreAuth;
  serviceAccount?: { name: string; namespace: string };
  role?: string;
}

export const EXTERNAL_SECRETS_FIELDS = contract({
  storeRef: {
    presence: "required",
    defaultText: "required",
    doc: "`{ name, kind }`: the SecretStore or ClusterSecretStore every ExternalSecret reads through",
    schema: objectSchema(STORE_REF_FIELDS),
    nested: { contract: STORE_REF_FIELDS },
    parse: (p: Problems, path: string, value: unknown): StoreRefSpec | undefined => {
      const raw = objectField(p, path, value, "an object { name, kind }");
      if (!raw) {
        if (value === undefined || value === null) {
          p.add(
            path,
            `is required: { name, kind } of the store ESO reads AWS through; kind: ${list(STORE_KINDS)}`,
          );
        }
        return undefined;
      }
      return parseFields(p, path, raw, STORE_REF_FIELDS);
    },
  },
  store: {
    presence: "optional",
    defaultText: "none: the store exists already",
    doc: "declare the ClusterSecretStore `storeRef.name` (AWS Secrets Manager provider)",
    schema: objectSchema(STORE_FIELDS),
    nested: { contract: STORE_FIELDS },
    parse: parseStore,
  },
  readyTimeoutSeconds: int({
    min: 30,
    max: MAX_READY_TIMEOUT_SECONDS,
    default: DEFAULT_READY_TIMEOUT_SECONDS,
    allowed: `a whole number of seconds from 30 to ${MAX_READY_TIMEOUT_SECONDS} (default ${DEFAULT_READY_TIMEOUT_SECONDS})`,
    doc: `seconds \`pulumi up\` waits for an ExternalSecret (or the store) to be Ready, or to be deleted, 30–${MAX_READY_TIMEOUT_SECONDS}`,
  }),
});

export interface ExternalSecretsSpec {
  storeRef: StoreRefSpec;
  store?: StoreSpec;
  readyTimeoutSeconds: number;
}

export const EXTERNAL_SECRETS_SCHEMA = objectSchema(EXTERNAL_SECRETS_FIELDS);

function parseStore(
  p: Problems,
  path: string,
  value: unknown,
  awsRegion?: string,
): StoreSpec | undefined {
  const raw = objectField(p, path, value, "an object { region, auth, serviceAccount, role }");
  if (!raw) return undefined;
  checkFields(p, path, raw, STORE_FIELDS);
  const f = STORE_FIELDS;
  const region = f.region.parse(p, join(path, "region"), raw.region, awsRegion);
  const auth = f.auth.parse(p, join(path, "auth"), raw.auth);
  const serviceAccount = f.serviceAccount.parse(
    p,
    join(path, "serviceAccount"),
    raw.serviceAccount,
  );
  const role = f.role.parse(p, join(path, "role"), raw.role);
  if (auth === "irsa" && !serviceAccount) {
    p.add(
      join(path, "serviceAccount"),
      "is required with auth: irsa: { name, namespace } of the service account annotated with eks.amazonaws.com/role-arn",
    );
  }
  if (auth === "podIdentity" && serviceAccount) {
    p.add(
      join(path, "serviceAccount"),
      "is not allowed with auth: podIdentity (ESO cannot impersonate a service account bound by EKS Pod Identity); use auth: irsa, or leave serviceAccount out",
    );
  }
  return {
    region,
    auth,
    ...(serviceAccount && { serviceAccount }),
    ...(role !== undefined && { role }),
  };
}

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
  const raw = objectField(p, path, value, "an object { storeRef, store, readyTimeoutSeconds }");
  if (!raw) {
    if (context.usedBy.length > 0 && (value === undefined || value === null)) {
      p.add(
        join(path, "storeRef"),
        `is required: ${list(context.usedBy)} ${context.usedBy.length === 1 ? "is" : "are"} delivered by externalSecrets; set ${PROJECT}:${path}.storeRef to { name, kind } of the store ESO reads AWS through`,
      );
    }
    return undefined;
  }
  checkFields(p, path, raw, EXTERNAL_SECRETS_FIELDS);
  const f = EXTERNAL_SECRETS_FIELDS;
  const storeRef = f.storeRef.parse(p, join(path, "storeRef"), raw.storeRef);
  const store = f.store.parse(p, join(path, "store"), raw.store, context.awsRegion);
  const readyTimeoutSeconds = f.readyTimeoutSeconds.parse(
    p,
    join(path, "readyTimeoutSeconds"),
    raw.readyTimeoutSeconds,
  );
  if (store && storeRef && storeRef.kind !== "ClusterSecretStore") {
    p.add(
      join(path, "store"),
      `declares a ClusterSecretStore, so storeRef.kind must be ClusterSecretStore (it is ${storeRef.kind})`,
    );
  }
  if (!storeRef) return undefined;
  return { storeRef, ...(store && { store }), readyTimeoutSeconds };
}
