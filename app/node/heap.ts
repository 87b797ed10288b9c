/**
 * V8 flags for processes that execute blocks: a 64 MiB young generation instead of the
 * default 16 MiB. Each block allocates many short-lived objects (decoded txs, store keys,
 * trie nodes, events); with the small semi-space, scavenges ran every ~20 ms and copied
 * the block's live working set each time. `npm run bench:exec` with `--trace-gc`: 357
 * scavenges and 2.9 s of GC in the pipelined run without the flag, 91 and 2.0 s with it.
 *
 * The flag only takes effect on the command line (set at run time through `v8`, the new
 * space did not grow: same scavenge count as without it), so the entry points pass it:
 * bin/run.js's shebang, the testnet launcher's `spawn` and the benchmark npm scripts.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
