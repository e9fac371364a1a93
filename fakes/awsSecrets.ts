/**
 * A fake AWS Secrets Manager for the program's runs: `aws-sdk-client-mock` answers every
 * SecretsManagerClient's ListSecrets from an in-memory list, with the service's `name` filter
 * (a prefix match), `IncludePlannedDeletion`, and `MaxResults` / `NextToken` paging.
 */
import {
  ListSecretsCommand,
  type ListSecretsCommandInput,
  SecretsManagerClient,
  type SecretListEntry,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";

export class FakeAws {
  /** The account's secrets. */
  secrets: SecretListEntry[] = [];
  /** When set, every call fails with it (no credentials, AccessDenied). */
  failure?: Error;
  /** Every ListSecrets input received. */
  readonly calls: ListSecretsCommandInput[] = [];
  private mock?: ReturnType<typeof mockClient>;

  install(): void {
    this.mock = mockClient(SecretsManagerClient);
    this.mock.on(ListSecretsCommand).callsFake((input: ListSecretsCommandInput) => {
      this.calls.push(input);
      if (this.failure) throw this.failure;
      const prefixes = (input.Filters ?? [])
        .filter((f) => f.Key === "name")
        .flatMap((f) => f.Values ?? []);
      const matching = this.secrets.filter(
        (s) =>
          (input.IncludePlannedDeletion || s.DeletedDate === undefined) &&
          (prefixes.length === 0 || prefixes.some((p) => s.Name?.startsWith(p))),
      );
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const size = input.MaxResults ?? 100;
      const page = matching.slice(start, start + size);
      const end = start + page.length;
      return { SecretList: page, ...(end < matching.length && { NextToken: String(end) }) };
    });
  }

  reset(): void {
    this.secrets = [];
    this.failure = undefined;
    this.calls.length = 0;
  }

  restore(): void {
    this.mock?.restore();
  }
}
