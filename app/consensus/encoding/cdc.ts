/**
 * CometBFT `types/encoding_helper.go` cdcEncode: header fields are hashed as the
 * proto encoding of gogoproto's wrapper messages (google.protobuf.StringValue,
 * Int64Value, BytesValue: the value in field 1). Empty values encode as no bytes.
 */
import { BinaryWriter } from 'cosmjs-types/binary';

export function cdcString(value: string): Uint8Array {
  const w = BinaryWriter.create();
  if (value !== '') w.uint32(10).string(value);
  return w.finish();
}

export function cdcInt64(value: bigint): Uint8Array {
  const w = BinaryWriter.create();
  if (value !== 0n) w.uint32(8).int64(value);
  return w.finish();
}

export function cdcBytes(value: Uint8Array): Uint8Array {
  const w = BinaryWriter.create();
  if (value.length !== 0) w.uint32(10).bytes(value);
  return w.finish();
}
