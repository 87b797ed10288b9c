/**
 * Coded errors of the libp2p host (codespace `p2p`). Registered once, never renumbered;
 * callers match with `isError(err, ErrRequestTimeout)`, never on message text.
 */
import { registerError } from '../../errors.js';

/** The host's init or config is unusable (key size, multiaddr, CIDR, limits). */
export const ErrHostConfig = registerError('p2p', 2, 'invalid p2p host configuration');
/** A method that needs a running host was called before `start()` or after `stop()`. */
export const ErrHostNotStarted = registerError('p2p', 3, 'p2p host is not running');
/** A request body is larger than the protocol's `maxRequestBytes` (either side). */
export const ErrRequestTooLarge = registerError('p2p', 4, 'request too large');
/** A response is larger than the caller's `maxResponseBytes`, or than the handler's limit. */
export const ErrResponseTooLarge = registerError('p2p', 5, 'response too large');
/** No response within `timeoutMs`. */
export const ErrRequestTimeout = registerError('p2p', 6, 'request timed out');
/** The peer could not be dialed, does not speak the protocol, or hung up. */
export const ErrPeerUnreachable = registerError('p2p', 7, 'peer unreachable');
/** The remote handler failed; the detail carries its message. */
export const ErrRemoteHandler = registerError('p2p', 8, 'remote handler failed');
/** The peer is banned (misbehaviour); no dial, no request. */
export const ErrPeerBanned = registerError('p2p', 9, 'peer is banned');
