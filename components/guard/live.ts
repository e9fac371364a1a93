/**
 * The live reader: what the guard asks the cluster and AWS under `pulumi up` and
 * `pulumi preview`, with the providers' own settings from the stack config. Each answer is
 * `read`, or `unavailable` with the reason (never an exception: the guard fails safe).
 */
import * as pulumi from "@pulumi/pulumi";
import { type AwsSettings, listStackSecrets, secretsManagerClient } from "./aws";
import { type ClusterSettings, loadKubeConfig, scanCluster } from "./cluster";
import type { AwsIndex, GuardRead, ReferenceIndex } from "./guard";
import type { OwnWorkloads } from "./references";
import { ReferenceScan } from "./scan";
import { type LinkTarget, type LiveWorkloads, readWorkloads } from "./workloadRead";

export interface ClusterQuestion {
  /** The Kubernetes Secret names to look for. */
  names: ReadonlySet<string>;
  /** The namespaces to list; undefined: all. */
  namespaces?: readonly string[];
  /** The program's own workloads, which do not count. */
  own: OwnWorkloads;
}

export interface AwsQuestion {
  /** The stack's name prefix, `<environment>/`. */
  prefix: string;
  /** The AWS names to report on. */
  names: ReadonlySet<string>;
}

export interface WorkloadQuestion {
  /** The linked workloads to read (those in config and those the previous update linked). */
  targets: readonly LinkTarget[];
}

/** Where the guard's answers come from: the live cluster and AWS, or the offline plan's files. */
export interface LiveReader {
  cluster(question: ClusterQuestion): Promise<GuardRead<ReferenceIndex>>;
  aws(question: AwsQuestion): Promise<GuardRead<AwsIndex>>;
  /** The live objects of the linked workloads (`owner: external`), before any patch. */
  linked(question: WorkloadQuestion): Promise<GuardRead<LiveWorkloads>>;
}

/** How long the guard waits for either source before it gives up (and fails safe). */
export const GUARD_TIMEOUT_MS = 120_000;

/** `work`, or `unavailable` with its error or the timeout. */
export async function guarded<T>(
  work: () => Promise<T>,
  describe: (err: unknown) => string,
  timeoutMs = GUARD_TIMEOUT_MS,
): Promise<GuardRead<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    return { status: "read", value: await Promise.race([work(), timeout]) };
  } catch (err) {
    return { status: "unavailable", reason: describe(err) };
  } finally {
    clearTimeout(timer);
  }
}

const firstLine = (err: unknown) => {
  const e = err as { name?: string; message?: string };
  const message = (e.message ?? String(err)).split("\n")[0];
  return e.name && e.name !== "Error" ? `${e.name}: ${message}` : message;
};

/** Reads with explicit settings (the program passes the providers'; a test, its fakes'). */
export function liveReader(settings: {
  cluster: ClusterSettings;
  aws: AwsSettings;
  timeoutMs?: number;
}): LiveReader {
  return {
    async cluster(question) {
      const loaded = loadKubeConfig(settings.cluster);
      if ("unavailable" in loaded) return { status: "unavailable", reason: loaded.unavailable };
      const scan = new ReferenceScan(question.names, question.own);
      return guarded(
        async () => {
          await scanCluster(loaded.config, scan, { namespaces: question.namespaces });
          return scan.referrers();
        },
        firstLine,
        settings.timeoutMs,
      );
    },
    async aws(question) {
      const client = secretsManagerClient(settings.aws);
      try {
        return await guarded(
          () => listStackSecrets(client, question.prefix, question.names),
          (err) => `list-secrets ${question.prefix}*: ${firstLine(err)}`,
          settings.timeoutMs,
        );
      } finally {
        client.destroy();
      }
    },
    async linked(question) {
      const loaded = loadKubeConfig(settings.cluster);
      if ("unavailable" in loaded) return { status: "unavailable", reason: loaded.unavailable };
      return guarded(
        () => readWorkloads(loaded.config, question.targets),
        firstLine,
        settings.timeoutMs,
      );
    },
  };
}

/** The settings the Kubernetes and AWS providers read from this stack's config. */
export function providerSettings(): { cluster: ClusterSettings; aws: AwsSettings } {
  const k8s = new pulumi.Config("kubernetes");
  const aws = new pulumi.Config("aws");
  const get = (c: pulumi.Config, key: string) => c.get(key) || undefined;
  const pick = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    cluster: pick({ kubeconfig: get(k8s, "kubeconfig"), context: get(k8s, "context") }),
    aws: pick({
      region: get(aws, "region"),
      profile: get(aws, "profile"),
      accessKey: get(aws, "accessKey"),
      secretKey: get(aws, "secretKey"),
      token: get(aws, "token"),
    }),
  };
}

/** What `pulumi up` and `pulumi preview` use: the providers' settings, read when asked. */
export const providerLiveReader: LiveReader = {
  cluster: (question) => liveReader(providerSettings()).cluster(question),
  aws: (question) => liveReader(providerSettings()).aws(question),
  linked: (question) => liveReader(providerSettings()).linked(question),
};
