/**
 * Message id = SHA-256 of the payload bytes (issue 6), as lowercase hex. The receiver
 * computes it from what arrived and never takes an id on trust, so a peer cannot
 * slip different content under a known id.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** 64 lowercase hex characters. */
export type MessageId = string;

export function messageIdOf(payload: Uint8Array): MessageId {
  return bytesToHex(sha256(payload));
}

export function isMessageId(s: string): boolean {
  return s.length === 64 && /^[0-9a-f]{64}$/.test(s);
}
