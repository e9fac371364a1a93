/**
 * The reference scan: fed the listed objects page by page, it keeps only the referrers of the
 * Secret names the guard asks about, so its memory is bounded by the answer, not the cluster.
 * Pure; the live reader and the offline files both feed it.
 */
import {
  type GuardKind,
  type LooseObject,
  type OwnWorkloads,
  type Referrer,
  isFinished,
  isOwnObject,
  podSpecOf,
  podSpecSecretNames,
} from "../plan/guard/references";

/** What takes the listed objects of one list, page by page. */
export interface ScanPart {
  /** `names`: the Secret names the object's pod spec reads, when a caller already walked it. */
  add(kind: GuardKind, object: LooseObject, names?: readonly string[]): void;
}

/**
 * What the paged read (`cluster.ts` scanCluster) fills: one `part()` per list, absorbed once
 * that list completes (a list that restarts after an expired continue token is dropped whole).
 */
export interface ScanSink<P extends ScanPart> {
  part(): P;
  absorb(part: P): void;
}

/** Two sinks fed from one read: the cluster is listed once for both. */
export function bothSinks<A extends ScanPart, B extends ScanPart>(
  a: ScanSink<A>,
  b: ScanSink<B>,
): ScanSink<ScanPart & { a: A; b: B }> {
  return {
    part() {
      const pa = a.part();
      const pb = b.part();
      return {
        a: pa,
        b: pb,
        // One walk of each pod spec serves both scans.
        add(kind, object) {
          const names = podSpecSecretNames(podSpecOf(kind, object));
          pa.add(kind, object, names);
          pb.add(kind, object, names);
        },
      };
    },
    absorb(part) {
      a.absorb(part.a);
      b.absorb(part.b);
    },
  };
}

export class ReferenceScan implements ScanSink<ReferenceScan>, ScanPart {
  private readonly found = new Map<string, Referrer[]>();

  /**
   * @param names the Secret names asked about (any namespace: tools that mirror Secrets
   *   between namespaces keep their names, so a same-named reference elsewhere counts).
   * @param own the program's own workloads, which do not count.
   */
  constructor(
    private readonly names: ReadonlySet<string>,
    private readonly own?: OwnWorkloads,
  ) {}

  /** Takes one listed object of `kind`. */
  add(kind: GuardKind, object: LooseObject, names?: readonly string[]): void {
    if (this.names.size === 0) return;
    const read = names ?? podSpecSecretNames(podSpecOf(kind, object));
    const hits = read.filter((n) => this.names.has(n));
    if (hits.length === 0 || isFinished(kind, object)) return;
    if (this.own && isOwnObject(kind, object, this.own)) return;
    const referrer: Referrer = {
      kind,
      namespace: object.metadata?.namespace ?? "",
      name: object.metadata?.name ?? "",
    };
    for (const name of new Set(hits)) {
      const list = this.found.get(name) ?? [];
      list.push(referrer);
      this.found.set(name, list);
    }
  }

  /**
   * An empty scan for the same question, to hold one list until it completes: a list that
   * has to restart (an expired continue token) is dropped whole, not counted twice.
   */
  part(): ReferenceScan {
    return new ReferenceScan(this.names, this.own);
  }

  /** Takes the referrers a completed `part()` found. */
  absorb(part: ReferenceScan): void {
    for (const [name, list] of part.found) {
      this.found.set(name, [...(this.found.get(name) ?? []), ...list]);
    }
  }

  /** The referrers of each asked-about name that has any, sorted, by Secret name. */
  referrers(): Map<string, Referrer[]> {
    const order = (r: Referrer) => `${r.kind}\u0000${r.namespace}\u0000${r.name}`;
    return new Map(
      [...this.found.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, list]) => [name, [...list].sort((a, b) => (order(a) < order(b) ? -1 : 1))]),
    );
  }
}
