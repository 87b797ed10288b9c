/** Keeping `start` and `devnet` in the foreground until SIGINT/SIGTERM, then stopping cleanly. */
import { Flags } from '@oclif/core';
import { formatError } from './errors.js';

export const nodeRunFlags = {
  'log-format': Flags.option({ summary: 'Log format: one JSON object per line, or human-readable.', options: ['json', 'plain'] as const })(),
  'rpc.laddr': Flags.string({ summary: 'RPC listen address (overrides config).', helpValue: 'tcp://127.0.0.1:26657' }),
  'metrics.laddr': Flags.string({ summary: 'Serve Prometheus metrics (GET /metrics) at this address (overrides config instrumentation).', helpValue: 'tcp://127.0.0.1:26660' }),
  'block-time': Flags.string({ summary: 'Target time between blocks, e.g. 1s or 500ms (overrides config).' }),
};

export function toNodeLogFormat(f: 'json' | 'plain' | undefined, fallback: 'json' | 'plain'): 'json' | 'pretty' {
  return (f ?? fallback) === 'json' ? 'json' : 'pretty';
}

/** `tcp://127.0.0.1:26657` → `http://127.0.0.1:26657`, the form `--node` and cosmjs take. */
export function rpcUrl(address: string): string {
  return address.replace(/^tcp:\/\//, 'http://').replace(/^(?![a-z]+:\/\/)/i, 'http://');
}

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Resolves never; exits the process: 0 after a clean stop on SIGINT/SIGTERM, 1 when stopping
 * fails or the node reports a fatal error. A second signal while stopping exits at once.
 */
export function runUntilSignal(node: Stoppable, fatal: Promise<Error>): Promise<never> {
  let stopping = false;
  const stop = async (code: number, why: string) => {
    if (stopping) {
      process.stderr.write(`${why} again: exiting without waiting for a clean stop\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`${why}: stopping the node…\n`);
    try {
      await node.stop();
    } catch (err) {
      process.stderr.write(`Error: stopping the node failed: ${formatError(err)}\n`);
      process.exit(1);
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0, 'received SIGINT'));
  process.on('SIGTERM', () => void stop(0, 'received SIGTERM'));
  void fatal.then((err) => {
    process.stderr.write(`Error: the node halted: ${formatError(err)}\n`);
    void stop(1, 'fatal error');
  });
  // a pending promise alone does not keep Node running; this handle does, until process.exit
  setInterval(() => {}, 1 << 30);
  return new Promise<never>(() => {});
}

/** A promise of the node's fatal error, and the callback to hand to the node. */
export function fatalSignal(): { fatal: Promise<Error>; onFatal: (err: Error) => void } {
  let onFatal!: (err: Error) => void;
  const fatal = new Promise<Error>((resolve) => (onFatal = resolve));
  return { fatal, onFatal };
}
