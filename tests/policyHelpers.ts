/**
 * Stack resources as the components write them (components/secrets/awsStore.ts,
 * kubernetesCopy.ts), and a runner that calls a policy's `validateStack` the way the
 * @pulumi/policy docs test a policy: with the args the engine would pass, collecting what it
 * reports.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import type { StackResource } from "../policy/resources";

export const PROJECT = "secret-rotation";

function urnOf(stack: string, type: string, name: string, parent?: StackResource): string {
  const chain = parent ? `${parent.urn.split("::")[2]}$${type}` : type;
  return `urn:pulumi:${stack}::${PROJECT}::${chain}::${name}`;
}

export function resource(
  stack: string,
  type: string,
  name: string,
  props: Record<string, unknown>,
  parent?: StackResource,
): StackResource {
  return { type, name, urn: urnOf(stack, type, name, parent), props, ...(parent && { parent }) };
}

export interface RotatedOptions {
  stack?: string;
  retentionDays?: string;
  /** The `promoted-from` tag: the stack versions are promoted from. */
  promotedFrom?: string;
  /** Unversioned (dev): one mutable copy named after the secret. */
  unversioned?: boolean;
}

/** A RotatedSecret and, per version, its AWS secret and Kubernetes Secret. */
export function rotated(
  environment: string,
  secret: string,
  versions: readonly string[],
  options: RotatedOptions = {},
): StackResource[] {
  const stack = options.stack ?? environment;
  const component = resource(stack, "secret-rotation:secrets:RotatedSecret", secret, {});
  const out = [component];
  for (const version of options.unversioned ? [undefined] : versions) {
    const suffix = version ? `-${version}` : "";
    const role = version ? `${secret}-${version}` : secret;
    out.push(
      resource(
        stack,
        "aws:secretsmanager/secret:Secret",
        `${role}-aws`,
        {
          name: `${environment}/${secret}${suffix}`,
          tags: {
            environment,
            "managed-by": PROJECT,
            secret,
            ...(version && { version }),
            ...(options.retentionDays !== undefined && {
              "retention-days": options.retentionDays,
            }),
            ...(options.promotedFrom !== undefined && { "promoted-from": options.promotedFrom }),
          },
        },
        component,
      ),
      resource(
        stack,
        "kubernetes:core/v1:Secret",
        `${role}-k8s`,
        {
          metadata: {
            name: `${secret}${suffix}`,
            labels: {
              "app.kubernetes.io/managed-by": PROJECT,
              "secret-rotation/secret": secret,
              ...(version && { "secret-rotation/version": version }),
            },
          },
          type: "Opaque",
          immutable: version !== undefined,
        },
        component,
      ),
    );
  }
  return out;
}

/** A Deployment whose container reads each Secret through `envFrom`. */
export function deployment(stack: string, name: string, secrets: readonly string[]) {
  return resource(stack, "kubernetes:apps/v1:Deployment", name, {
    metadata: { name },
    spec: {
      template: {
        spec: {
          containers: [
            { name, image: "x", envFrom: secrets.map((s) => ({ secretRef: { name: s } })) },
          ],
        },
      },
    },
  });
}

/** What `policy` reports for a stack: each message with the URN it names, if any. */
export async function violations(
  policy: StackValidationPolicy,
  resources: readonly StackResource[],
  config: Record<string, unknown> = {},
): Promise<{ message: string; urn?: string }[]> {
  const found: { message: string; urn?: string }[] = [];
  await policy.validateStack(
    {
      resources: resources as never,
      stackTags: new Map(),
      getConfig: <T extends object>() => config as T,
      notApplicable: (reason?: string) => {
        throw new Error(`not applicable: ${reason}`);
      },
    },
    (message, urn) => found.push({ message, ...(urn && { urn }) }),
  );
  return found;
}
