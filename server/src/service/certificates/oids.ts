/**
 * Named object identifiers the certificate checks compare against (the values come from
 * @peculiar/asn1-x509), and the signature algorithms with the names and hashes Go uses for them.
 */
import {
  anyExtendedKeyUsage,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';

export const OID = {
  subjectAltName: id_ce_subjectAltName,
  basicConstraints: id_ce_basicConstraints,
  keyUsage: id_ce_keyUsage,
  extKeyUsage: id_ce_extKeyUsage,
  subjectKeyId: id_ce_subjectKeyIdentifier,
  authorityKeyId: id_ce_authorityKeyIdentifier,
  commonName: '2.5.4.3',
  serverAuth: id_kp_serverAuth,
  clientAuth: id_kp_clientAuth,
  anyExtendedKeyUsage,
} as const;

/** Signature algorithms by OID, with the name Go prints (x509.SignatureAlgorithm) and the hash it judges them by. */
export const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string }> = {
  '1.2.840.113549.1.1.2': { name: 'MD2-RSA', hash: 'MD2' },
  '1.2.840.113549.1.1.4': { name: 'MD5-RSA', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', hash: 'SHA1' },
  '1.3.14.3.2.29': { name: 'SHA1-RSA', hash: 'SHA1' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', hash: 'SHA256' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', hash: 'SHA384' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', hash: 'SHA512' },
  '1.2.840.113549.1.1.10': { name: 'RSA-PSS', hash: 'PSS' },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', hash: 'SHA1' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', hash: 'SHA256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', hash: 'SHA384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', hash: 'SHA512' },
  '1.2.840.10040.4.3': { name: 'DSA-SHA1', hash: 'SHA1' },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA-SHA256', hash: 'SHA256' },
  '1.3.101.112': { name: 'Ed25519', hash: 'Ed25519' },
};
