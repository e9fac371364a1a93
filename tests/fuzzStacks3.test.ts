// Shard 3 of the stack-file fuzz test (tests/fuzzShards.ts; the checks of the whole set are in
// tests/fuzzStacks.test.ts).
import { describeShard } from "./fuzzShards";

describeShard(2);
