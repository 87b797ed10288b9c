/** Shared flags and plumbing of `guts query …`: gRPC-style queries over ABCI, at a chosen height. */
import { Flags } from '@oclif/core';
import { QueryClient } from '@cosmjs/stargate';
import type { Rpc } from 'cosmjs-types/helpers';
import { parseHeight } from './args.js';
import { connectNode, nodeFlags, resolveNodeUrl, type NodeConnection } from './node-client.js';

export const queryFlags = {
  ...nodeFlags,
  height: Flags.string({ summary: 'Query the state at this block height (default: latest).', helpValue: '<n>', helpGroup: 'NODE' }),
};

/**
 * A cosmjs-types `Rpc` over cosmjs' `QueryClient.queryAbci`, which (unlike the ready-made
 * `setupBankExtension`) takes a height, so `--height` works for every query.
 */
export function abciRpc(node: NodeConnection, height: number | undefined): Rpc {
  const qc = new QueryClient(node.comet);
  return {
    request: (service, method, data) => node.call(() => qc.queryAbci(`/${service}/${method}`, data, height)).then((r) => r.value),
  };
}

export async function withNode<T>(home: string, flags: { node?: string }, fn: (node: NodeConnection) => Promise<T>): Promise<T> {
  const node = await connectNode(await resolveNodeUrl(home, flags.node));
  try {
    return await fn(node);
  } finally {
    node.disconnect();
  }
}

export { parseHeight };
