/** Every supported method by its CometBFT name. */
import { blockMethods } from './blocks.js';
import { mempoolMethods } from './broadcast.js';
import { chainMethods } from './chain.js';
import { checkpointMethods } from './checkpoints.js';
import { infoMethods } from './info.js';
import type { Method } from './method.js';
import { subscriptionMethods } from './subscriptions.js';
import { txMethods } from './txs.js';

export const METHODS: ReadonlyMap<string, Method> = new Map(
  Object.entries({ ...infoMethods, ...blockMethods, ...chainMethods, ...txMethods, ...mempoolMethods, ...subscriptionMethods, ...checkpointMethods }),
);

/** Methods callable over websocket only (not listed for GET). */
export const WEBSOCKET_ONLY = new Set(['subscribe', 'unsubscribe', 'unsubscribe_all']);
