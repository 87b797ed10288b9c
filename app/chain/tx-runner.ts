/**
 * Runs one transaction's messages: decode each Any through the router, validateBasic,
 * handle, and collect the `message` events and TxMsgData that cosmos-sdk returns.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { ErrTxDecode } from '../errors.js';
import type { Context } from './context.js';
import type { ModuleManager } from './manager.js';
import type { MsgGate, MsgHandler } from './module.js';

export interface DecodedMsg {
  handler: MsgHandler;
  msg: unknown;
  typeUrl: string;
}

/**
 * Messages whose stateless validation passed, by the `Any` of a decoded tx and the handler
 * that validated it: the pipeline decodes a tx's bytes once, so DeliverTx meets the same
 * `Any` CheckTx validated and need not repeat validateBasic (bech32 decoding of every address).
 */
const validated = new WeakMap<Any, MsgHandler>();

/** Resolve and statelessly validate every message (CheckTx and DeliverTx both do this first). */
export function resolveMsgs(manager: ModuleManager, msgs: Any[]): DecodedMsg[] {
  return msgs.map((any, i) => {
    const handler = manager.msgHandler(any.typeUrl);
    if (!handler) throw ErrTxDecode.wrap(`unable to resolve type URL ${any.typeUrl} (message ${i})`);
    let msg: unknown;
    try {
      msg = handler.decode(any.value);
    } catch (e) {
      throw ErrTxDecode.wrap(`message ${i} (${any.typeUrl}) does not decode: ${(e as Error).message}`);
    }
    if (validated.get(any) !== handler) {
      handler.validateBasic(msg);
      validated.set(any, handler);
    }
    return { handler, msg, typeUrl: any.typeUrl };
  });
}

/** Run the modules' message gates (pause, sybil) over every message of a tx. */
export async function runGates(ctx: Context, gates: MsgGate[], msgs: DecodedMsg[]): Promise<void> {
  if (gates.length === 0) return;
  for (const { handler, msg, typeUrl } of msgs) {
    for (const gate of gates) await gate(ctx, { typeUrl, value: msg, signers: handler.getSigners(msg) });
  }
}

export async function runMsgs(ctx: Context, msgs: DecodedMsg[], gates: MsgGate[] = []): Promise<Uint8Array> {
  const msgResponses: Any[] = [];
  await runGates(ctx, gates, msgs);
  for (let i = 0; i < msgs.length; i++) {
    const { handler, msg, typeUrl } = msgs[i]!;
    ctx.events.emit('message', { action: typeUrl, sender: handler.getSigners(msg)[0] ?? '', msg_index: String(i) });
    msgResponses.push(await handler.handle(ctx, msg));
  }
  return TxMsgData.encode({ data: [], msgResponses }).finish();
}
