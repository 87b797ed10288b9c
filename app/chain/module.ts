/**
 * The module manager's view of a module (cosmos-sdk `module.AppModule`): message
 * handlers routed by type URL, gRPC-style query routes served through abci_query,
 * genesis, and BeginBlock/EndBlock hooks. Modules run in a fixed order (the manager's
 * registration order), never in map-iteration order.
 */
import type { Context } from './context.js';
import type { KVReader } from '../store/types.js';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';

export interface MsgHandler<T = unknown> {
  readonly typeUrl: string;
  decode(bytes: Uint8Array): T;
  encode(msg: T): Uint8Array;
  /** Addresses (bech32) that must sign; the first signer of the first message pays the fee. */
  getSigners(msg: T): string[];
  /** Stateless checks run in CheckTx and DeliverTx before any state is touched. */
  validateBasic(msg: T): void;
  /** Runs the message; returns the response `Any` (type URL + bytes) for TxMsgData. */
  handle(ctx: Context, msg: T): Promise<{ typeUrl: string; value: Uint8Array }>;
}

export interface QueryContext {
  /** Height the query reads (the committed height when the caller asked for 0). */
  readonly height: number;
  readonly store: KVReader;
}

export interface QueryRoute {
  /** Full gRPC method path, e.g. `/cosmos.bank.v1beta1.Query/Balance`. */
  readonly path: string;
  handle(ctx: QueryContext, request: Uint8Array): Promise<Uint8Array>;
}

/**
 * A module's governable parameters as name → string value, for gov `ParameterChange`
 * proposals (old value must match at execution, new value validated by the module).
 */
export interface ParamSpace {
  names(): string[];
  get(ctx: Context, name: string): Promise<string>;
  /** Validates and stores; throws a CodedError for an unknown name or an invalid value. */
  set(ctx: Context, name: string, value: string): Promise<void>;
}

/**
 * A check run before each message, in CheckTx (after the ante handler) and in DeliverTx:
 * gov's module pause (Emergency proposals) and sybil's stake/PoW gate use it.
 * Throwing a CodedError refuses the tx.
 */
export type MsgGate = (ctx: Context, msg: { typeUrl: string; value: unknown; signers: string[] }) => Promise<void>;

export interface AppModule<G = unknown> {
  readonly name: string;
  readonly msgs?: MsgHandler<any>[];
  readonly queries?: QueryRoute[];
  defaultGenesis(): G;
  /** Parse and validate untrusted JSON; throws GenesisError naming the offending path. */
  validateGenesis(raw: unknown, path: string): G;
  /** The JSON form written to genesis files; `validateGenesis(genesisToJson(g))` gives back `g`. */
  genesisToJson(genesis: G): unknown;
  initGenesis(ctx: Context, genesis: G): Promise<void>;
  exportGenesis(ctx: Context): Promise<G>;
  beginBlock?(ctx: Context): Promise<void>;
  /** May return validator set changes (staking), applied by consensus at H+2. */
  endBlock?(ctx: Context): Promise<ValidatorUpdate[] | void>;
  readonly params?: ParamSpace;
  readonly msgGates?: MsgGate[];
}
