/**
 * AWS on the loopback interface: Secrets Manager's ListSecrets (JSON 1.1 protocol,
 * `X-Amz-Target: secretsmanager.ListSecrets`) and STS AssumeRole / AssumeRoleWithWebIdentity
 * (query protocol, XML answers), spoken over HTTP to the real AWS SDK clients. A test points the
 * guard at it through the provider's own settings (`aws:endpoints`, a shared config file's
 * `endpoint_url`) and sees what reached it: which endpoint, which signing key and region, and
 * which STS parameters. It records every request and can stop answering ListSecrets.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export interface AwsRequest {
  /** `secretsmanager` or `sts`, from the request's credential scope (or the STS action). */
  service: string;
  action: string;
  /** The access key id the request was signed with (absent for unsigned web identity calls). */
  accessKeyId?: string;
  /** The signing region. */
  region?: string;
  /** The request's parameters: the JSON body, or the STS form fields. */
  params: Record<string, unknown>;
}

export interface FakeSecret {
  Name: string;
  DeletedDate?: Date;
  LastAccessedDate?: Date;
}

const epoch = (d: Date | undefined) => (d === undefined ? undefined : d.getTime() / 1000);

export class LoopbackAws {
  private server?: http.Server;
  url = "";
  secrets: FakeSecret[] = [];
  readonly requests: AwsRequest[] = [];
  /** When true, ListSecrets is never answered. */
  holdList = false;
  /** ListSecrets requests the client closed unanswered. */
  abandoned = 0;
  private waiters: (() => void)[] = [];
  private issued = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Forgets requests and issued credentials; answers again. */
  reset(): void {
    this.requests.length = 0;
    this.holdList = false;
    this.abandoned = 0;
    this.issued = 0;
  }

  /** Resolves once a held ListSecrets request was closed by the client. */
  whenAbandoned(): Promise<void> {
    if (this.abandoned > 0) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** The STS requests, in order. */
  sts(): AwsRequest[] {
    return this.requests.filter((r) => r.service === "sts");
  }

  /** The ListSecrets requests, in order. */
  lists(): AwsRequest[] {
    return this.requests.filter((r) => r.action === "ListSecrets");
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    // AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, ...
    const scope = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(
      String(req.headers.authorization ?? ""),
    );
    const target = req.headers["x-amz-target"];
    if (typeof target === "string" && target.startsWith("secretsmanager.")) {
      const params = JSON.parse(body || "{}") as Record<string, unknown>;
      this.requests.push({
        service: scope?.[3] ?? "secretsmanager",
        action: target.slice("secretsmanager.".length),
        ...(scope && { accessKeyId: scope[1], region: scope[2] }),
        params,
      });
      if (this.holdList) {
        res.on("close", () => {
          this.abandoned++;
          for (const wake of this.waiters.splice(0)) wake();
        });
        return;
      }
      return this.listSecrets(params, res);
    }
    const form = Object.fromEntries(new URLSearchParams(body));
    this.requests.push({
      service: "sts",
      action: form.Action ?? "?",
      ...(scope && { accessKeyId: scope[1], region: scope[2] }),
      params: form,
    });
    this.issued++;
    const n = this.issued;
    const result =
      form.Action === "AssumeRoleWithWebIdentity" ? "AssumeRoleWithWebIdentity" : "AssumeRole";
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(
      `<${result}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${result}Result>` +
        `<Credentials><AccessKeyId>ASIAROLE${n}</AccessKeyId><SecretAccessKey>secret-${n}</SecretAccessKey>` +
        `<SessionToken>token-${n}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>` +
        `<AssumedRoleUser><AssumedRoleId>AROA${n}:s</AssumedRoleId><Arn>${form.RoleArn ?? ""}</Arn></AssumedRoleUser>` +
        `</${result}Result><ResponseMetadata><RequestId>r-${n}</RequestId></ResponseMetadata></${result}Response>`,
    );
  }

  private listSecrets(params: Record<string, unknown>, res: http.ServerResponse): void {
    const filters = (params.Filters as { Key: string; Values: string[] }[] | undefined) ?? [];
    const prefixes = filters.filter((f) => f.Key === "name").flatMap((f) => f.Values);
    const matching = this.secrets.filter(
      (s) =>
        (params.IncludePlannedDeletion === true || s.DeletedDate === undefined) &&
        (prefixes.length === 0 || prefixes.some((p) => s.Name.startsWith(p))),
    );
    const start = typeof params.NextToken === "string" ? Number(params.NextToken) : 0;
    const size = typeof params.MaxResults === "number" ? params.MaxResults : 100;
    const page = matching.slice(start, start + size);
    const end = start + page.length;
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    res.end(
      JSON.stringify({
        SecretList: page.map((s) => ({
          Name: s.Name,
          ...(s.DeletedDate && { DeletedDate: epoch(s.DeletedDate) }),
          ...(s.LastAccessedDate && { LastAccessedDate: epoch(s.LastAccessedDate) }),
        })),
        ...(end < matching.length && { NextToken: String(end) }),
      }),
    );
  }
}
