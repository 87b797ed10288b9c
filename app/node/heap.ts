/**
 * V8 flags for processes that execute blocks: a 64 MiB young generation instead of the
 * default 16 MiB. Each block allocates many short-lived objects (decoded txs, store keys,
 * trie nodes, events); with the small semi-space, scavenges ran every ~20 ms and copied
 * the block's live working set each time. `npm run bench:exec` with `--trace-gc`, last 14 s
 * of the pipelined run: 357 scavenges and 2.9 s of GC with the flag set at run time through
 * `v8.setFlagsFromString` (a scavenge every ~20 ms freeing ~16 MiB: the default new space),
 * 91 and 2.0 s with the flag on the command line.
 *
 * So the flag only takes effect on the command line, and the entry points pass it:
 * bin/run.js's shebang, the testnet launcher's `spawn` and the benchmark npm scripts.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
