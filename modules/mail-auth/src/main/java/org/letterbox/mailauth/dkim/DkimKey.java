package org.letterbox.mailauth.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * One DKIM signing key of a domain: its selector, algorithm, private key, and the public key data that goes into
 * its DNS record ({@code p=}: a SubjectPublicKeyInfo for RSA, the bare 32 bytes for Ed25519 as RFC 8463 §4.2 says).
 */
public record DkimKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey, byte[] publicKeyData) {

    /** The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo, before its 32 key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** The DER AlgorithmIdentifier of rsaEncryption, for wrapping a bare RSAPublicKey. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
        0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    public DkimKey {
        publicKeyData = publicKeyData.clone();
    }

    /** A new key: RSA-2048 or Ed25519. */
    public static DkimKey generate(String domain, String selector, DkimAlgorithm algorithm) {
        try {
            KeyPair pair;
            byte[] publicData;
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                pair = generator.generateKeyPair();
                publicData = pair.getPublic().getEncoded();
            } else {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] spki = pair.getPublic().getEncoded();
                publicData = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            }
            return new DkimKey(domain, selector, algorithm, pair.getPrivate(), publicData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    /** A stored key: the private key in PKCS#8, the public key data as the DNS record holds it. */
    public static DkimKey of(String domain, String selector, DkimAlgorithm algorithm, byte[] privatePkcs8, byte[] publicData) {
        try {
            KeyFactory factory = KeyFactory.getInstance(algorithm == DkimAlgorithm.RSA_SHA256 ? "RSA" : "Ed25519");
            return new DkimKey(domain, selector, algorithm, factory.generatePrivate(new PKCS8EncodedKeySpec(privatePkcs8)),
                publicData);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("a stored " + algorithm + " key of " + domain + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The private key in PKCS#8, for storage. */
    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    /** Where the record is published: {@code selector._domainkey.domain}. */
    public String dnsName() {
        return selector + "._domainkey." + domain;
    }

    /** The TXT record's text: {@code v=DKIM1; k=rsa; p=...}. */
    public String dnsRecord() {
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + Base64.getEncoder().encodeToString(publicKeyData);
    }

    /** The public key a record's {@code p=} data names, for {@code algorithm}. */
    static PublicKey publicKey(DkimAlgorithm algorithm, byte[] data) throws GeneralSecurityException {
        if (algorithm == DkimAlgorithm.ED25519_SHA256) {
            if (data.length != 32) {
                throw new GeneralSecurityException("an Ed25519 key is 32 bytes, not " + data.length);
            }
            byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
            System.arraycopy(data, 0, spki, ED25519_SPKI_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        }
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(data));
        } catch (GeneralSecurityException spkiFailed) {
            // some publish a bare PKCS#1 RSAPublicKey: wrap it in a SubjectPublicKeyInfo
            return rsa.generatePublic(new X509EncodedKeySpec(sequence(concat(RSA_ALGORITHM, bitString(data)))));
        }
    }

    private static byte[] bitString(byte[] content) {
        byte[] withUnusedBits = new byte[content.length + 1];
        System.arraycopy(content, 0, withUnusedBits, 1, content.length);
        return tagged(0x03, withUnusedBits);
    }

    private static byte[] sequence(byte[] content) {
        return tagged(0x30, content);
    }

    private static byte[] tagged(int tag, byte[] content) {
        byte[] length;
        if (content.length < 128) {
            length = new byte[] {(byte) content.length};
        } else if (content.length < 256) {
            length = new byte[] {(byte) 0x81, (byte) content.length};
        } else {
            length = new byte[] {(byte) 0x82, (byte) (content.length >> 8), (byte) content.length};
        }
        byte[] out = new byte[1 + length.length + content.length];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, content.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DkimKey key && key.domain.equals(domain) && key.selector.equals(selector)
            && key.algorithm == algorithm && Arrays.equals(key.publicKeyData, publicKeyData);
    }

    @Override
    public int hashCode() {
        return (domain + selector).hashCode();
    }

    @Override
    public String toString() {
        return "DkimKey[" + dnsName() + " " + algorithm.tag() + "]";
    }
}
