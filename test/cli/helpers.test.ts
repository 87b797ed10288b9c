import { describe, expect, it } from 'vitest';
import { ErrInsufficientFunds, ErrKeyNotFound } from '../../app/errors.js';
import { crc24 } from '../../app/keyring/armor.js';
import { parseAddress, parseCoinsArg, parseDurationMs, parseHeight } from '../../cli/args.js';
import { parseClientToml, renderClientToml } from '../../cli/client-config.js';
import { CliError, formatError } from '../../cli/errors.js';
import { snakeKeys, txToJson } from '../../cli/format/proto-json.js';
import { describeNodeError, describeQueryError, normalizeNodeUrl } from '../../cli/node-client.js';
import { rpcUrl } from '../../cli/node-run.js';

describe('formatError', () => {
  it('prints the registered description, codespace/code, then the detail', () => {
    expect(formatError(ErrInsufficientFunds.wrap('10ugut is smaller than 20ugut'))).toBe('insufficient funds (sdk/5): 10ugut is smaller than 20ugut');
    expect(formatError(ErrKeyNotFound.wrap())).toBe('key not found (sdk/22)');
    expect(formatError(new CliError('plain'))).toBe('plain');
  });
});

describe('node addresses', () => {
  it('accepts http(s), tcp:// and bare host:port', () => {
    expect(normalizeNodeUrl('tcp://127.0.0.1:26657')).toBe('http://127.0.0.1:26657');
    expect(normalizeNodeUrl('localhost:26657')).toBe('http://localhost:26657');
    expect(normalizeNodeUrl('https://rpc.example.org/')).toBe('https://rpc.example.org');
    expect(() => normalizeNodeUrl('ftp://x')).toThrow(/only http\(s\):\/\/ and tcp:\/\//);
    expect(rpcUrl('tcp://0.0.0.0:1')).toBe('http://0.0.0.0:1');
    expect(rpcUrl('127.0.0.1:1')).toBe('http://127.0.0.1:1');
  });

  it('describes transport, HTTP and JSON-RPC failures in the node\'s name', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    expect(describeNodeError('http://n', refused).message).toBe('cannot reach node at http://n: connect ECONNREFUSED 127.0.0.1:9');
    const dual = new TypeError('fetch failed', { cause: new AggregateError([new Error('connect ECONNREFUSED ::1:9'), new Error('connect ECONNREFUSED 127.0.0.1:9')], '') });
    expect(describeNodeError('http://n', dual).message).toMatch(/^cannot reach node at http:\/\/n: connect ECONNREFUSED ::1:9; /);
    const http = new Error('Bad status on response: 502', { cause: { status: 502, body: 'bad gateway' } });
    expect(describeNodeError('http://n', http).message).toBe('node at http://n answered HTTP 502: bad gateway');
    const rpc = new Error(JSON.stringify({ code: -32603, message: 'Internal error', data: 'height 9 is not available' }));
    expect(describeNodeError('http://n', rpc).message).toBe('node at http://n returned an error: Internal error: height 9 is not available');
  });

  it('reads cosmjs query failures', () => {
    expect(describeQueryError(new Error('Query failed with (22): account x not found'))).toEqual({ code: 22, message: 'query failed (code 22): account x not found' });
    expect(describeQueryError(new Error('other'))).toEqual({ message: 'other' });
  });
});

describe('argument parsing', () => {
  it('addresses must be guts bech32', () => {
    expect(parseAddress('guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5')).toBe('guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5');
    expect(() => parseAddress('guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up6')).toThrow(/invalid address|not a bech32/);
  });

  it('coins are positive integers with unique denoms', () => {
    expect(parseCoinsArg('1000ugut,5uatom')).toEqual([
      { denom: 'ugut', amount: '1000' },
      { denom: 'uatom', amount: '5' },
    ]);
    expect(() => parseCoinsArg('1ugut,2ugut')).toThrow(/duplicate denom/);
    expect(() => parseCoinsArg('')).toThrow(/invalid coins/);
  });

  it('heights and durations', () => {
    expect(parseHeight(undefined)).toBeUndefined();
    expect(parseHeight('0')).toBeUndefined();
    expect(parseHeight('42')).toBe(42);
    expect(() => parseHeight('4.2')).toThrow(/invalid height/);
    expect(parseDurationMs('1s', 'x')).toBe(1000);
    expect(parseDurationMs('250ms', 'x')).toBe(250);
    expect(parseDurationMs('1.5s', 'x')).toBe(1500);
    expect(() => parseDurationMs('soon', 'x')).toThrow(/duration/);
  });
});

describe('client.toml', () => {
  it('reads the flat keys it knows and round-trips what it writes', () => {
    const c = parseClientToml('# c\nchain-id = "guts-1"\nkeyring-backend = "test" # dev\noutput = "json"\n[section]\nnode = "tcp://x:1"\n');
    expect(c).toEqual({ 'chain-id': 'guts-1', 'keyring-backend': 'test', node: 'tcp://x:1' });
    expect(parseClientToml(renderClientToml(c))).toEqual(c);
  });
});

describe('proto JSON', () => {
  it('snake_cases keys but keeps @type', () => {
    expect(snakeKeys({ '@type': 't', fromAddress: 'a', list: [{ gasLimit: '1' }] })).toEqual({ '@type': 't', from_address: 'a', list: [{ gas_limit: '1' }] });
  });

  it('bytes that are not a Tx give tx: null', () => {
    expect(txToJson(Uint8Array.of(0xff, 0xff))).toBeNull();
  });
});

describe('armor checksum', () => {
  it('is OpenPGP CRC-24 (RFC 4880 §6.1)', () => {
    expect(crc24(new Uint8Array())).toBe(0xb704ce);
    expect(crc24(new TextEncoder().encode('123456789'))).toBe(0x21cf02);
  });
});
