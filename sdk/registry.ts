/**
 * typeUrl → codec for every message the chain accepts, for cosmjs `Registry` (signing,
 * CLI, SDK). Modules add their `guts.<module>.v1` messages here as they land; the
 * codecs are the ts-proto ones in proto/gen (encode/decode/fromPartial). Browser-safe.
 */
import type { GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';

export const gutsMessageTypes: ReadonlyArray<[string, GeneratedType]> = [];

/** cosmos-sdk messages cosmjs knows (bank MsgSend among them) plus the Guts messages. */
export const gutsRegistryTypes: ReadonlyArray<[string, GeneratedType]> = [...defaultRegistryTypes, ...gutsMessageTypes];
