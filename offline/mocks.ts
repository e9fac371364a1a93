/**
 * The mocks the offline runtime (`mockRuntime.ts`) runs the program against: they record every
 * resource declared and answer as a provider would, with its inputs plus the few outputs a
 * real provider computes (an ARN, a VersionId, a completed rollout, a StackReference's
 * outputs), deterministic so that two runs compare byte for byte.
 */
import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";

/** The marker Pulumi's wire format puts on a secret value (`{ [SIG_KEY]: SECRET_SIG, value }`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One resource the program declared, as the engine would receive it. */
export interface DeclaredResource {
  type: string;
  name: string;
  custom: boolean;
  /** Inputs as sent to the engine: secret values stay wrapped in the secret marker. */
  inputs: Record<string, unknown>;
}

/** A value wrapped in the secret marker. */
export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** A deterministic stand-in for a provider-computed value, distinct per resource and field. */
function fakeValue(name: string, field: string): string {
  return crypto.createHash("sha256").update(`${name}/${field}`).digest("hex");
}

/**
 * A stand-in for the VersionId AWS gives a stored value, in the real shape and deterministic:
 * a new value, a new id. The provider sends `ClientRequestToken: id.UniqueId()` with every
 * PutSecretValue (terraform-provider-aws internal/service/secretsmanager/secret_version.go
 * resourceSecretVersionCreate), the token becomes the version's VersionId (Secrets Manager API,
 * PutSecretValue), and the provider stores that as `version_id`. `id.UniqueId()` is
 * `terraform-`, the UTC time to 1/10000 s as 18 digits, then an 8-digit hex counter
 * (terraform-plugin-sdk helper/id PrefixedUniqueId, UniqueIDSuffixLength 26): never a UUID.
 */
export function fakeSecretVersionId(name: string, stored: string): string {
  const hash = fakeValue(name, stored);
  const digits = (BigInt(`0x${hash.slice(0, 24)}`) % 10n ** 18n).toString().padStart(18, "0");
  return `terraform-${digits}${hash.slice(24, 32)}`;
}

/** The shape of `fakeSecretVersionId`'s ids and of the provider's (`id.UniqueId()`). */
export const SECRET_VERSION_ID = /^terraform-\d{18}[0-9a-f]{8}$/;

/**
 * The mocks: record every resource, answer with its inputs plus the few outputs a real
 * provider computes, and refuse any provider function call (the program makes none; a new
 * one must be added here deliberately).
 */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: DeclaredResource[] = [];

  /**
   * @param stackOutputs what each stack a StackReference names exports (`pulumi stack output
   *   --json`), by the name the reference gives; a stack not listed exports nothing.
   */
  constructor(
    private readonly stackOutputs: Readonly<Record<string, unknown>> = {},
    private readonly failing?: (type: string, name: string) => boolean,
    private readonly skipped?: (type: string, name: string) => boolean,
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string | undefined;
    state: Record<string, unknown>;
  } {
    if (args.type === STACK_TYPE) return { id: undefined, state: {} };
    this.resources.push({
      type: args.type,
      name: args.name,
      custom: args.custom ?? true,
      inputs: args.inputs as Record<string, unknown>,
    });
    const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>) };
    if (args.type === "aws:secretsmanager/secret:Secret") {
      state.arn = `arn:aws:secretsmanager:us-east-1:000000000000:secret:${String(state.name)}-AbCdEf`;
    }
    if (args.type === "aws:secretsmanager/secretVersion:SecretVersion") {
      const stored = (args.inputs as Record<string, unknown>).secretString ?? null;
      state.versionId = fakeSecretVersionId(args.name, JSON.stringify(stored));
    }
    const rollout = ROLLED_OUT[args.type];
    if (rollout) {
      // As the provider answers once its await accepted the rollout (pulumi-kubernetes
      // await/await.go Update returns the awaiter's last object): the controller observed the
      // applied generation and reports the rollout complete, as each kind's awaiter requires.
      const metadata = (state.metadata ?? {}) as Record<string, unknown>;
      state.metadata = { ...metadata, generation: 1 };
      state.status = { observedGeneration: 1, ...rollout };
    }
    if (this.skipped?.(args.type, args.name)) {
      // As a create `pulumi up --target` skips: no ID, no outputs (pulumi v3.248.0
      // pkg/resource/deploy/step.go NewSkippedCreateStep).
      return { id: undefined, state: {} };
    }
    if (this.failing?.(args.type, args.name)) {
      // As a provider's failed create or update: the engine answers the registration with an
      // error, and the SDK rejects the resource's outputs (runtime/rpc.ts transferProperties).
      throw new Error(`${args.type} ${args.name} failed (a test's failing resource)`);
    }
    if (args.type === "random:index/randomPassword:RandomPassword") {
      state.result = fakeValue(args.name, "result");
    }
    if (args.type === "pulumi:pulumi:StackReference") {
      const name = String(state.name);
      const exported = Object.hasOwn(this.stackOutputs, name) ? this.stackOutputs[name] : {};
      state.outputs = exported;
      // As the engine answers (pulumi pkg/resource/deploy/builtins.go readStackReference): the
      // outputs, secret ones still marked, and the names of the secret ones, so that
      // `getOutputDetails` gives a secret output as its `secretValue`.
      state.secretOutputNames =
        typeof exported === "object" && exported !== null
          ? Object.entries(exported)
              .filter(([, v]) => isSecretWrapper(v))
              .map(([k]) => k)
          : [];
    }
    return { id: args.custom === false ? undefined : `${args.name}-id`, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    throw new Error(`unexpected provider call ${args.token}: the program is not meant to call any`);
  }
}

/** What each awaited workload kind's status shows once its rollout is complete. */
const DEPLOYMENT_DONE = {
  conditions: [
    { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
    { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
  ],
};
const STATEFULSET_DONE = { readyReplicas: 1, currentRevision: "r1", updateRevision: "r1" };
const DAEMONSET_DONE = { desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1 };
const ROLLED_OUT: Readonly<Record<string, object>> = {
  "kubernetes:apps/v1:Deployment": DEPLOYMENT_DONE,
  "kubernetes:apps/v1:DeploymentPatch": DEPLOYMENT_DONE,
  "kubernetes:apps/v1:StatefulSetPatch": STATEFULSET_DONE,
  "kubernetes:apps/v1:DaemonSetPatch": DAEMONSET_DONE,
};

/** The root stack resource's type (sdk/nodejs/runtime/stack.ts rootPulumiStackTypeName). */
export const STACK_TYPE = "pulumi:pulumi:Stack";
