package org.letterbox.mailauth.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.letterbox.dns.DnsAnswer;

/**
 * Checks every DKIM-Signature of a message (RFC 6376 §6): its tags, its key from DNS, the body hash (one pass over
 * the body, whatever the number of signatures), the header hash and the signature, for RSA-SHA256 and
 * Ed25519-SHA256. At most {@link #MAX_SIGNATURES} signatures are looked at; RSA keys under 1,024 bits fail
 * (RFC 8301).
 */
public final class DkimVerifier {

    public static final int MAX_SIGNATURES = 10;
    private final KeyRecords keys;

    /** @param txt the TXT records of a name (the key records of {@code selector._domainkey.domain}) */
    public DkimVerifier(Function<String, DnsAnswer<String>> txt) {
        this.keys = new KeyRecords(txt);
    }

    private record Candidate(HeaderBlock.Field field, TagList tags, DkimAlgorithm algorithm, Canonicalization header,
                             Canonicalization body, long length, String domain, String selector) {
    }

    /** The results of the message's signatures, top first; empty when it has none. */
    public List<DkimResult> verify(InputStream message, Instant now) throws IOException {
        return verify(HeaderBlock.read(message), message, now);
    }

    /** The same, for a message whose header block is already read: {@code message} is at the start of the body. */
    public List<DkimResult> verify(HeaderBlock headers, InputStream message, Instant now) throws IOException {
        List<HeaderBlock.Field> signatures = headers.all("DKIM-Signature");
        List<DkimResult> results = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        Map<Candidate, Integer> positions = new java.util.IdentityHashMap<>();
        for (HeaderBlock.Field field : signatures.subList(0, Math.min(MAX_SIGNATURES, signatures.size()))) {
            Object checked = check(field, now);
            if (checked instanceof DkimResult failure) {
                results.add(failure);
            } else {
                Candidate candidate = (Candidate) checked;
                positions.put(candidate, results.size());
                results.add(null);
                candidates.add(candidate);
            }
        }
        // one pass over the body for every (canonicalization, length) the signatures ask for
        Map<String, Canonicalization.BodyHasher> hashers = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            hashers.computeIfAbsent(candidate.body() + "/" + candidate.length(), key -> {
                try {
                    return candidate.body().body(MessageDigest.getInstance("SHA-256"), candidate.length());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        if (!hashers.isEmpty()) {
            message.transferTo(new OutputStream() {
                @Override
                public void write(int b) {
                    hashers.values().forEach(hasher -> hasher.write(b));
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    hashers.values().forEach(hasher -> hasher.write(bytes, offset, length));
                }
            });
        }
        Map<String, byte[]> bodyHashes = new HashMap<>();
        hashers.forEach((key, hasher) -> bodyHashes.put(key, hasher.finish()));
        for (Candidate candidate : candidates) {
            results.set(positions.get(candidate), finish(candidate, headers,
                bodyHashes.get(candidate.body() + "/" + candidate.length())));
        }
        return results;
    }

    /** The tags checked and the key's parts known: a {@link Candidate}, or the {@link DkimResult} that ends it. */
    private Object check(HeaderBlock.Field field, Instant now) {
        Optional<TagList> parsed = TagList.parse(field.value());
        if (parsed.isEmpty()) {
            return new DkimResult(DkimResult.Status.PERMERROR, "", "", Optional.empty(), "", "malformed signature");
        }
        TagList tags = parsed.get();
        String domain = tags.get("d").orElse("").toLowerCase(Locale.ROOT);
        String selector = tags.get("s").orElse("");
        String b = tags.compact("b").orElse("");
        String shortB = b.substring(0, Math.min(8, b.length()));
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.has(required)) {
                return new DkimResult(DkimResult.Status.PERMERROR, domain, selector, Optional.empty(), shortB,
                    "signature lacks " + required + "=");
            }
        }
        if (!tags.get("v").orElse("").equals("1")) {
            return permerror(domain, selector, shortB, "unknown version");
        }
        Optional<DkimAlgorithm> algorithm = DkimAlgorithm.ofTag(tags.get("a").orElse(""));
        if (algorithm.isEmpty()) {
            return permerror(domain, selector, shortB, "unsupported algorithm " + tags.get("a").orElse(""));
        }
        List<String> signedNames = List.of(tags.compact("h").orElse("").toLowerCase(Locale.ROOT).split(":"));
        if (!signedNames.contains("from")) {
            return permerror(domain, selector, shortB, "From is not signed");
        }
        Canonicalization header;
        Canonicalization body;
        try {
            String[] c = tags.compact("c").orElse("simple/simple").split("/", 2);
            header = Canonicalization.parse(c[0]);
            body = Canonicalization.parse(c.length > 1 ? c[1] : "simple");
        } catch (IllegalArgumentException e) {
            return permerror(domain, selector, shortB, e.getMessage());
        }
        long length = Long.MAX_VALUE;
        if (tags.has("l")) {
            try {
                length = Long.parseLong(tags.compact("l").orElse(""));
            } catch (NumberFormatException e) {
                return permerror(domain, selector, shortB, "bad l=");
            }
        }
        if (tags.has("x")) {
            try {
                if (Long.parseLong(tags.compact("x").orElse("")) < now.getEpochSecond()) {
                    return new DkimResult(DkimResult.Status.FAIL, domain, selector, algorithm, shortB, "signature expired");
                }
            } catch (NumberFormatException e) {
                return permerror(domain, selector, shortB, "bad x=");
            }
        }
        if (tags.has("i")) {
            String identity = tags.get("i").orElse("").toLowerCase(Locale.ROOT);
            String identityDomain = identity.substring(identity.lastIndexOf('@') + 1);
            if (!identityDomain.equals(domain) && !identityDomain.endsWith("." + domain)) {
                return permerror(domain, selector, shortB, "i= is not in d=");
            }
        }
        return new Candidate(field, tags, algorithm.get(), header, body, length, domain, selector);
    }

    private DkimResult finish(Candidate candidate, HeaderBlock headers, byte[] bodyHash) {
        String domain = candidate.domain();
        String selector = candidate.selector();
        TagList tags = candidate.tags();
        String b = tags.compact("b").orElse("");
        String shortB = b.substring(0, Math.min(8, b.length()));
        Optional<DkimAlgorithm> algorithm = Optional.of(candidate.algorithm());
        KeyRecords.Lookup lookup = keys.find(candidate.algorithm(), selector, domain);
        if (lookup instanceof KeyRecords.Failed failed) {
            return new DkimResult(failed.status(), domain, selector,
                failed.status() == DkimResult.Status.TEMPERROR ? algorithm : Optional.empty(), shortB, failed.reason());
        }
        byte[] declaredBodyHash;
        try {
            declaredBodyHash = Base64.getDecoder().decode(tags.compact("bh").orElse(""));
        } catch (IllegalArgumentException e) {
            return permerror(domain, selector, shortB, "bad bh=");
        }
        if (!MessageDigest.isEqual(declaredBodyHash, bodyHash)) {
            return new DkimResult(DkimResult.Status.FAIL, domain, selector, algorithm, shortB, "body hash did not verify");
        }
        String data = Signatures.selectedHeaders(tags.compact("h").orElse(""), headers, candidate.header())
            + Signatures.withEmptySignature(candidate.field(), candidate.header());
        if (Signatures.verify(candidate.algorithm(), ((KeyRecords.Found) lookup).key(), data, b)) {
            return new DkimResult(DkimResult.Status.PASS, domain, selector, algorithm, shortB, "");
        }
        return new DkimResult(DkimResult.Status.FAIL, domain, selector, algorithm, shortB, "signature did not verify");
    }

    private static DkimResult permerror(String domain, String selector, String b, String reason) {
        return new DkimResult(DkimResult.Status.PERMERROR, domain, selector, Optional.empty(), b, reason);
    }
}
