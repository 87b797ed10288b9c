export { encodeFrame, decodeFrame } from './frame.js';
export { encodeEnvelope, decodeEnvelope, heartbeatSignBytes, CollabEventType, ConsensusMessageType, type Envelope, type EnvelopeBody, type Heartbeat } from './envelope.js';
export { createEnvelopeValidator, type EnvelopeValidatorInit } from './validate.js';
export { GossipDecodeError, type DecodeFailure } from './errors.js';
export { ENVELOPE_LIMITS, FRAME_LIMITS, maxEnvelopeBytes, type EnvelopeLimits, type FrameLimits } from './limits.js';
