package org.letterbox.mailauth.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signature arithmetic DKIM and ARC share (RFC 6376 §3.7, RFC 8617 §5.1): which header fields a {@code h=} list
 * selects, the signature field with its {@code b=} emptied, and signing or verifying the resulting data with RSA-SHA256
 * or Ed25519-SHA256 (which signs the SHA-256 of the data, RFC 8463 §3).
 */
public final class Signatures {

    private static final Pattern B_TAG = Pattern.compile("(^|;)(\\s*b\\s*=)[^;]*");

    private Signatures() {
    }

    /**
     * The header fields a {@code h=} list names, canonicalized: each name takes the lowest instance not yet taken,
     * and a name with no instance left adds nothing (RFC 6376 §5.4.2).
     */
    public static String selectedHeaders(String hTag, HeaderBlock headers, Canonicalization canonicalization) {
        StringBuilder data = new StringBuilder();
        Map<String, Integer> taken = new HashMap<>();
        for (String name : hTag.split(":")) {
            List<HeaderBlock.Field> instances = headers.all(name.strip());
            int used = taken.merge(name.strip().toLowerCase(Locale.ROOT), 1, Integer::sum);
            int index = instances.size() - used;
            if (index >= 0) {
                data.append(canonicalization.header(instances.get(index).raw()));
            }
        }
        return data.toString();
    }

    /** The signature field itself as it is signed: {@code b=} emptied, canonicalized, without the final CRLF. */
    public static String withEmptySignature(HeaderBlock.Field field, Canonicalization canonicalization) {
        String raw = field.raw();
        int colon = raw.indexOf(':');
        Matcher matcher = B_TAG.matcher(raw.substring(colon + 1));
        String canonical = canonicalization.header(raw.substring(0, colon + 1) + matcher.replaceFirst("$1$2"));
        return canonical.substring(0, canonical.length() - 2);
    }

    /** Signs {@code data} with {@code key}. */
    public static byte[] sign(DkimKey key, String data) {
        try {
            Signature signer = Signature.getInstance(key.algorithm().jcaSignature());
            signer.initSign(key.privateKey());
            signer.update(prepared(key.algorithm(), data));
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + key + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code b} (base64, white space ignored) is a signature of {@code data} by {@code key}. */
    public static boolean verify(DkimAlgorithm algorithm, PublicKey key, String data, String b) {
        try {
            Signature verifier = Signature.getInstance(algorithm.jcaSignature());
            verifier.initVerify(key);
            verifier.update(prepared(algorithm, data));
            return verifier.verify(Base64.getDecoder().decode(b.replaceAll("[ \\t\\r\\n]", "")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A base64 value in lines of 72 characters, continued with a tab (white space inside b= is ignored). */
    public static String fold(String base64) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < base64.length(); i += 72) {
            if (i > 0) {
                out.append("\r\n\t ");
            }
            out.append(base64, i, Math.min(base64.length(), i + 72));
        }
        return out.toString();
    }

    private static byte[] prepared(DkimAlgorithm algorithm, String data) throws GeneralSecurityException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return algorithm == DkimAlgorithm.ED25519_SHA256 ? MessageDigest.getInstance("SHA-256").digest(bytes) : bytes;
    }
}
