/**
 * The live reader: what the guard asks the cluster and AWS under `pulumi up` and
 * `pulumi preview`, with the providers' own settings from the stack config. Each answer is
 * `read`, or `unavailable` with the reason (never an exception: the guard fails safe); a
 * provider setting the guard cannot honour is refused before, by `settingsProblems`.
 */
import * as pulumi from "@pulumi/pulumi";
import { dict } from "../core/dict";
import { decode } from "../config/read";
import type { ConfigProblem } from "../core/problems";
import { type AwsSettings, listStackSecrets, secretsManagerClient } from "./aws";
import { parseAwsSettings } from "./awsSettings";
import { scanCluster } from "./cluster";
import { type ClusterSettings, loadKubeConfig } from "./kubeconfig";
import type { AwsIndex, GuardRead, ReferenceIndex } from "../plan/guard/guard";
import type { GuardKind, OwnWorkloads } from "../plan/guard/references";
import { ReferenceScan, bothSinks } from "./scan";
import { type ClusterFacts, InventoryScan } from "../plan/inventory/collect";
import type { LinkTarget, LiveWorkloads } from "../plan/workloads/linkTarget";
import { readWorkloads } from "./workloadRead";

export interface ClusterQuestion {
  /** The Kubernetes Secret names to look for. */
  names: ReadonlySet<string>;
  /** The namespaces to list; undefined: all. */
  namespaces?: readonly string[];
  /** The program's own workloads, which do not count. */
  own: OwnWorkloads;
  /**
   * The Secret names to take an inventory of in the same read (every version of the stack's
   * secrets): the stack's `inventory` output (plan/inventory/collect.ts).
   */
  inventory?: ReadonlySet<string>;
  /** Called after each page (`npm run inventory`'s progress line). */
  progress?: (kind: GuardKind, items: number) => void;
}

/** The cluster's answer: the guard's referrers, and the inventory's facts when asked. */
export type ClusterRead = GuardRead<ReferenceIndex> & { inventory?: ClusterFacts };

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
  /**
   * The provider settings the guard cannot read with (each naming its `aws:` or `kubernetes:`
   * key), for the sources that are on: the preflight refuses them before anything is read.
   */
  settingsProblems?(sources: { aws: boolean; kubernetes: boolean }): ConfigProblem[];
  cluster(question: ClusterQuestion): Promise<ClusterRead>;
  aws(question: AwsQuestion): Promise<GuardRead<AwsIndex>>;
  /** The live objects of the linked workloads (`owner: external`), before any patch. */
  linked(question: WorkloadQuestion): Promise<GuardRead<LiveWorkloads>>;
}

/** How long the guard waits for either source before it gives up (and fails safe). */
export const GUARD_TIMEOUT_MS = 120_000;

/**
 * `work`, or `unavailable` with its error or the timeout. The timeout aborts `work`'s signal,
 * which the list calls carry: the scan stops instead of running on after the answer was given.
 */
export async function guarded<T>(
  work: (signal: AbortSignal) => Promise<T>,
  describe: (err: unknown) => string,
  timeoutMs = GUARD_TIMEOUT_MS,
): Promise<GuardRead<T>> {
  const controller = new AbortController();
  const timedOut = new Error(`no answer within ${timeoutMs / 1000} s`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(timedOut);
      reject(timedOut);
    }, timeoutMs);
    timer.unref();
  });
  const running = work(controller.signal);
  // After the timeout, `running` rejects with the abort: that is expected, not unhandled.
  running.catch(() => undefined);
  try {
    return { status: "read", value: await Promise.race([running, timeout]) };
  } catch (err) {
    return {
      status: "unavailable",
      reason: controller.signal.aborted ? timedOut.message : describe(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** An error as one line, with its name when it is not a plain Error. */
export const firstLine = (err: unknown) => {
  const e = err as { name?: string; message?: string };
  const message = (e.message ?? String(err)).split("\n")[0];
  return e.name && e.name !== "Error" ? `${e.name}: ${message}` : message;
};

/** Reads with explicit settings (the program passes the providers'; a test, its fakes'). */
export function liveReader(settings: {
  cluster: ClusterSettings;
  aws: AwsSettings;
  timeoutMs?: number;
  /** The environment the providers would see; default the process's. */
  env?: NodeJS.ProcessEnv;
  home?: string;
}): LiveReader {
  return {
    async cluster(question) {
      const loaded = loadKubeConfig(settings.cluster, settings.env, settings.home);
      if ("unavailable" in loaded) return { status: "unavailable", reason: loaded.unavailable };
      const scan = new ReferenceScan(question.names, question.own);
      const inventory = question.inventory && new InventoryScan(question.inventory);
      const read = await guarded(
        async (signal) => {
          const options = {
            namespaces: question.namespaces,
            signal,
            ...(question.progress && { onPage: question.progress }),
          };
          if (inventory) await scanCluster(loaded.config, bothSinks(scan, inventory), options);
          else await scanCluster(loaded.config, scan, options);
          return scan.referrers();
        },
        firstLine,
        settings.timeoutMs,
      );
      return read.status === "read" && inventory ? { ...read, inventory: inventory.facts() } : read;
    },
    async aws(question) {
      const made = await secretsManagerClient(settings.aws, settings.env, settings.home);
      if ("unavailable" in made) return { status: "unavailable", reason: made.unavailable };
      try {
        return await guarded(
          (signal) => listStackSecrets(made.client, question.prefix, question.names, signal),
          (err) => `list-secrets ${question.prefix}*: ${firstLine(err)}`,
          settings.timeoutMs,
        );
      } finally {
        made.client.destroy();
      }
    },
    async linked(question) {
      const loaded = loadKubeConfig(settings.cluster, settings.env, settings.home);
      if ("unavailable" in loaded) return { status: "unavailable", reason: loaded.unavailable };
      return guarded(
        (signal) => readWorkloads(loaded.config, question.targets, signal),
        firstLine,
        settings.timeoutMs,
      );
    },
  };
}

/** The keys of one provider's namespace (`aws:region` as `region`), decoded. */
export function providerConfig(
  namespace: string,
  all: Readonly<Record<string, string>> = pulumi.runtime.allConfig(),
): Record<string, unknown> {
  const prefix = `${namespace}:`;
  const out = dict<unknown>();
  for (const [key, text] of Object.entries(all)) {
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = decode(text);
  }
  return out;
}

/**
 * The Kubernetes provider's settings the guard reads with. `kubernetes:renderYamlToDirectory`
 * makes the provider write YAML instead of talking to a cluster (provider.go Configure
 * renderYamlToDirectory; Check refuses `context`/`cluster` with it): there is no cluster of
 * the provider's to read, so the guard refuses rather than read whatever KUBECONFIG names.
 */
export function parseClusterSettings(raw: Readonly<Record<string, unknown>>): {
  settings: ClusterSettings;
  problems: ConfigProblem[];
} {
  const problems: ConfigProblem[] = [];
  const text = (name: string) => {
    const v = raw[name];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") {
      problems.push({
        path: `kubernetes:${name}`,
        key: `kubernetes:${name}`,
        message: "must be a string",
      });
      return undefined;
    }
    return v;
  };
  if (text("renderYamlToDirectory")) {
    problems.push({
      path: "kubernetes:renderYamlToDirectory",
      key: "kubernetes:renderYamlToDirectory",
      message:
        "is set: the Kubernetes provider writes YAML files and reads no cluster, so the reference guard has no cluster of the provider's to read: set secret-rotation:guard.kubernetes false (a stack that links workloads, owner: external, must read them in the cluster: remove the setting or those links)",
    });
  }
  const kubeconfig = text("kubeconfig");
  const context = text("context");
  const cluster = text("cluster");
  return {
    settings: {
      ...(kubeconfig && { kubeconfig }),
      ...(context && { context }),
      ...(cluster && { cluster }),
    },
    problems,
  };
}

/** The settings the Kubernetes and AWS providers read from this stack's config, and what is refused. */
export function providerSettings(all?: Readonly<Record<string, string>>): {
  cluster: ClusterSettings;
  aws: AwsSettings;
  problems: { kubernetes: ConfigProblem[]; aws: ConfigProblem[] };
} {
  const k8s = parseClusterSettings(providerConfig("kubernetes", all));
  const aws = parseAwsSettings(providerConfig("aws", all));
  return {
    cluster: k8s.settings,
    aws: aws.settings,
    problems: { kubernetes: k8s.problems, aws: aws.problems },
  };
}

/** What `pulumi up` and `pulumi preview` use: the providers' settings, read when asked. */
export const providerLiveReader: LiveReader = {
  settingsProblems(sources) {
    const { problems } = providerSettings();
    return [
      ...(sources.kubernetes ? problems.kubernetes : []),
      ...(sources.aws ? problems.aws : []),
    ];
  },
  cluster: (question) => liveReader(providerSettings()).cluster(question),
  aws: (question) => liveReader(providerSettings()).aws(question),
  linked: (question) => liveReader(providerSettings()).linked(question),
};
