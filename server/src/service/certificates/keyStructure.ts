/**
 * What a private key is, read from its ASN.1 structure where that structure alone decides what OpenSSL
 * (Node's createPrivateKey + createPublicKey) makes of it: OpenSSL 3's decoder machinery costs about 0.5-1 ms a
 * key (most of the CLI's time in keys), and the checks need only the key's type, RSA size or EC curve, and the
 * SubjectPublicKeyInfo OpenSSL would export (to compare with a certificate's).
 *
 * Read here from asn1js's decoding, held to DER as Go's cryptobyte reads it (goParse.ts strictDer), with the
 * SPKI written by @peculiar/asn1-* schemas (maintained libraries; no hand-written parser or crypto; the schemas'
 * own parser costs more than OpenSSL here):
 * - `RSA PRIVATE KEY` (PKCS#1) and `PRIVATE KEY` (PKCS#8) with rsaEncryption and NULL parameters: a two-prime
 *   RSAPrivateKey (version 0); the public key is (modulus, publicExponent) as written, and OpenSSL exports
 *   exactly that, in DER (so both INTEGERs must be minimal and positive);
 * - `EC PRIVATE KEY` (SEC1) and `PRIVATE KEY` with id-ecPublicKey on P-256, P-384 or P-521 (named): an
 *   ECPrivateKey (version 1) that carries its public point uncompressed; OpenSSL keeps that point (it does not
 *   derive it from the scalar when the key carries it) and exports it with the curve's OID. OpenSSL refuses a
 *   point that is not on the curve: Node's ECDH.convertKey (OpenSSL's EC_POINT_oct2point) decides that here.
 * Only when the PEM is exactly as OpenSSL writes it (64-character lines, `\n`) and the DER is strict (no trailing
 * bytes, no BER, minimal INTEGERs, the fields exactly the ones listed): then OpenSSL reads what is read here.
 *
 * Everything else returns undefined and goes to OpenSSL: Ed25519/X25519/Ed448 (deriving the public key is
 * crypto), RSA-PSS, DSA, other curves, EC keys without a public point or with a compressed one, multi-prime
 * RSA, attributes, PEM headers, broken keys (so their error is OpenSSL's). test/unit/keyStructure.test.ts
 * compares both readings on every key type the tests make and on forged keys.
 */
import { ECDH } from 'node:crypto';
import { AsnConvert, AsnSerializer } from '@peculiar/asn1-schema';
import { ECParameters, id_ecPublicKey } from '@peculiar/asn1-ecc';
import { RSAPublicKey, id_rsaEncryption } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { integerBytes, oidText, strictDer, type Der } from './goParse';
import type { PemBlock } from './pem';

export interface StructuralKey {
  type: 'rsa' | 'ec';
  bits?: number;
  curve?: string;
  spki: string;
}

/** Named curves read here: OID → [OpenSSL's short name (asymmetricKeyDetails.namedCurve), the uncompressed point's length]. */
const CURVES: Record<string, readonly [string, number]> = {
  '1.2.840.10045.3.1.7': ['prime256v1', 65],
  '1.3.132.0.34': ['secp384r1', 97],
  '1.3.132.0.35': ['secp521r1', 133],
};

/**
 * Named curves by OID → OpenSSL's short name (OBJ_nid2sn, what asymmetricKeyDetails.namedCurve says), for
 * reading an EC key's curve from its SPKI (certificateInfo.ts KeyDescription.curve).
 */
const CURVE_NAMES: Record<string, string> = {
  '1.2.840.10045.3.1.1': 'prime192v1',
  '1.3.132.0.33': 'secp224r1',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
};

/** The named curve of an EC SubjectPublicKeyInfo (DER) among CURVE_NAMES; undefined for anything else. */
export function namedCurveOfSpki(spki: Uint8Array): string | undefined {
  try {
    const fields = sequenceOf(strictDer(spki), [SEQUENCE, BIT_STRING]);
    const algorithm = fields && sequenceOf(fields[0], [OID, OID]);
    if (!algorithm || oidText(algorithm[0]) !== id_ecPublicKey) return undefined;
    const oid = oidText(algorithm[1]);
    return oid !== undefined && Object.hasOwn(CURVE_NAMES, oid) ? CURVE_NAMES[oid] : undefined;
  } catch {
    return undefined;
  }
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const NULL = 0x05;
const OID = 0x06;
const CONTEXT_0 = 0xa0;
const CONTEXT_1 = 0xa1;

/** The key's facts when its structure decides them (see above), else undefined (ask OpenSSL). Never throws. */
export function keyFromStructure(block: PemBlock): StructuralKey | undefined {
  try {
    if (Object.keys(block.headers).length > 0 || !isCanonicalPem(block)) return undefined;
    switch (block.type) {
      case 'RSA PRIVATE KEY':
        return rsaKey(block.bytes);
      case 'EC PRIVATE KEY':
        return ecKey(block.bytes, undefined);
      case 'PRIVATE KEY':
        return pkcs8Key(block.bytes);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** The block's text is what PEM_write (and Node's export) writes for its bytes. */
function isCanonicalPem(block: PemBlock): boolean {
  const b64 = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength).toString('base64');
  let text = `-----BEGIN ${block.type}-----\n`;
  for (let i = 0; i < b64.length; i += 64) text += b64.slice(i, i + 64) + '\n';
  text += `-----END ${block.type}-----\n`;
  return text === block.text;
}

/** A SEQUENCE whose children have exactly these tags. */
function sequenceOf(node: Der | undefined, tags: readonly number[]): Der[] | undefined {
  if (!node || node.tag !== SEQUENCE || node.children.length !== tags.length) return undefined;
  return node.children.every((child, i) => child.tag === tags[i]) ? node.children : undefined;
}

/** An INTEGER whose value is the small number `value` (minimally encoded). */
function isSmallInteger(node: Der, value: number): boolean {
  const c = integerBytes(node);
  return c !== undefined && c.length === 1 && c[0] === value;
}

/** PKCS#8 PrivateKeyInfo: version 0, no attributes. */
function pkcs8Key(bytes: Uint8Array): StructuralKey | undefined {
  const fields = sequenceOf(strictDer(bytes), [INTEGER, SEQUENCE, OCTET_STRING]);
  if (!fields || !isSmallInteger(fields[0], 0)) return undefined;
  const [algorithm, parameters, ...more] = fields[1].children;
  const oid = algorithm && oidText(algorithm);
  if (!oid || !parameters || more.length > 0) return undefined;
  if (oid === id_rsaEncryption) return parameters.tag === NULL && parameters.content.length === 0 ? rsaKey(fields[2].content) : undefined;
  if (oid === id_ecPublicKey && parameters.tag === OID) {
    const curve = oidText(parameters);
    return curve ? ecKey(fields[2].content, curve) : undefined;
  }
  return undefined;
}

/** RSAPrivateKey, two primes (version 0). */
function rsaKey(bytes: Uint8Array): StructuralKey | undefined {
  const fields = sequenceOf(strictDer(bytes), [INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER]);
  if (!fields || !isSmallInteger(fields[0], 0) || !fields.every((f) => integerBytes(f) !== undefined)) return undefined;
  const modulus = fields[1].content;
  const exponent = fields[2].content;
  if (!positive(modulus) || !positive(exponent)) return undefined;
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: null }),
    subjectPublicKey: AsnConvert.serialize(new RSAPublicKey({ modulus: copy(modulus), publicExponent: copy(exponent) })),
  });
  return { type: 'rsa', bits: bitLength(modulus), spki: Buffer.from(AsnSerializer.serialize(spki)).toString('hex') };
}

/** ECPrivateKey (version 1) with its public point; `outerCurve`: the PKCS#8 AlgorithmIdentifier's curve (undefined for SEC1, whose ECPrivateKey names it). */
function ecKey(bytes: Uint8Array, outerCurve: string | undefined): StructuralKey | undefined {
  const top = strictDer(bytes);
  if (!top || top.tag !== SEQUENCE) return undefined;
  const [version, scalar, ...rest] = top.children;
  if (!version || !isSmallInteger(version, 1) || !scalar || scalar.tag !== OCTET_STRING || scalar.content.length === 0) return undefined;
  const parameters = rest[0]?.tag === CONTEXT_0 ? rest.shift() : undefined;
  const publicKey = rest[0]?.tag === CONTEXT_1 ? rest.shift() : undefined;
  if (rest.length > 0 || !publicKey) return undefined;
  let innerCurve: string | undefined;
  if (parameters) {
    if (parameters.children.length !== 1 || parameters.children[0].tag !== OID) return undefined;
    innerCurve = oidText(parameters.children[0]);
    if (!innerCurve || (outerCurve !== undefined && innerCurve !== outerCurve)) return undefined;
  }
  const oid = outerCurve ?? innerCurve;
  const curve = oid !== undefined ? CURVES[oid] : undefined;
  if (!oid || !curve) return undefined;
  const [bits, ...others] = publicKey.children;
  if (!bits || others.length > 0 || bits.tag !== BIT_STRING || bits.content[0] !== 0) return undefined;
  const point = bits.content.subarray(1);
  const [name, pointLength] = curve;
  if (point.length !== pointLength || point[0] !== 0x04) return undefined;
  // OpenSSL's EC_POINT_oct2point refuses a point off the curve (createPrivateKey then fails): ask it.
  ECDH.convertKey(point, name, undefined, undefined, 'uncompressed');
  return { type: 'ec', curve: name, spki: spkiPrefix(oid, pointLength) + Buffer.from(point.buffer, point.byteOffset, point.byteLength).toString('hex') };
}

const prefixes = new Map<string, string>();

/** The SPKI of an EC key on `oid` up to its point (the schema's encoding of one with a point of zeros, less the point). */
function spkiPrefix(oid: string, pointLength: number): string {
  let prefix = prefixes.get(oid);
  if (prefix === undefined) {
    const spki = new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({ algorithm: id_ecPublicKey, parameters: AsnConvert.serialize(new ECParameters({ namedCurve: oid })) }),
      subjectPublicKey: new ArrayBuffer(pointLength),
    });
    const der = Buffer.from(AsnSerializer.serialize(spki));
    prefix = der.subarray(0, der.length - pointLength).toString('hex');
    prefixes.set(oid, prefix);
  }
  return prefix;
}

function copy(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** A minimal INTEGER's content that is positive (non-zero, no sign bit). */
function positive(c: Uint8Array): boolean {
  return (c[0] & 0x80) === 0 && !(c.length === 1 && c[0] === 0);
}

function bitLength(c: Uint8Array): number {
  let i = 0;
  while (i < c.length && c[i] === 0) i++;
  if (i === c.length) return 0;
  return (c.length - i - 1) * 8 + (32 - Math.clz32(c[i]));
}
