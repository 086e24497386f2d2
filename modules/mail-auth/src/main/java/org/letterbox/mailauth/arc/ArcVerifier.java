package org.letterbox.mailauth.arc;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.letterbox.dns.DnsAnswer;
import org.letterbox.mailauth.dkim.Canonicalization;
import org.letterbox.mailauth.dkim.DkimAlgorithm;
import org.letterbox.mailauth.dkim.HeaderBlock;
import org.letterbox.mailauth.dkim.KeyRecords;
import org.letterbox.mailauth.dkim.Signatures;
import org.letterbox.mailauth.dkim.TagList;

/**
 * Validates a message's ARC chain (RFC 8617 §5.2): the sets are complete and numbered 1 to N (at most
 * {@link #MAX_INSTANCES}), the first seal says {@code cv=none} and every later one {@code cv=pass}, the newest
 * ARC-Message-Signature verifies over the message as it is now, and every ARC-Seal verifies over the sets up to its
 * own. Any flaw fails the whole chain; a message without ARC headers has none.
 */
public final class ArcVerifier {

    /** The most ARC sets a chain may hold (RFC 8617 §4.2.1). */
    public static final int MAX_INSTANCES = 50;
    private static final String SEAL = "ARC-Seal";
    private static final String SIGNATURE = "ARC-Message-Signature";
    private static final String RESULTS = "ARC-Authentication-Results";
    private static final Pattern RESULTS_INSTANCE = Pattern.compile("^\\s*i\\s*=\\s*(\\d{1,3})\\s*;");

    private final KeyRecords keys;

    /** @param txt the TXT records of a name (the key records of the sealers) */
    public ArcVerifier(Function<String, DnsAnswer<String>> txt) {
        this.keys = new KeyRecords(txt);
    }

    /** True when the header block holds any ARC header, so that the chain is worth a look. */
    public static boolean present(HeaderBlock headers) {
        return headers.fields().stream().anyMatch(field -> field.is(SEAL) || field.is(SIGNATURE) || field.is(RESULTS));
    }

    /** Validates the chain of a message whose header block is read: {@code body} is at the start of the body. */
    public ArcResult verify(HeaderBlock headers, InputStream body) throws IOException {
        if (!present(headers)) {
            return ArcResult.NONE;
        }
        Map<Integer, HeaderBlock.Field> seals = new HashMap<>();
        Map<Integer, TagList> sealTags = new HashMap<>();
        Map<Integer, HeaderBlock.Field> signatures = new HashMap<>();
        Map<Integer, TagList> signatureTags = new HashMap<>();
        Map<Integer, HeaderBlock.Field> results = new HashMap<>();
        for (HeaderBlock.Field field : headers.fields()) {
            if (field.is(SEAL) || field.is(SIGNATURE)) {
                Optional<TagList> tags = TagList.parse(field.value());
                int instance = tags.flatMap(list -> list.compact("i")).map(ArcVerifier::instance).orElse(-1);
                boolean seal = field.is(SEAL);
                if (instance < 1 || (seal ? seals : signatures).put(instance, field) != null) {
                    return ArcResult.fail(0, "", "malformed or repeated " + field.name());
                }
                (seal ? sealTags : signatureTags).put(instance, tags.get());
            } else if (field.is(RESULTS)) {
                Matcher matcher = RESULTS_INSTANCE.matcher(field.value());
                int instance = matcher.find() ? instance(matcher.group(1)) : -1;
                if (instance < 1 || results.put(instance, field) != null) {
                    return ArcResult.fail(0, "", "malformed or repeated " + field.name());
                }
            }
        }
        int newest = seals.keySet().stream().max(Integer::compare).orElse(0);
        String sealer = newest > 0 ? sealTags.get(newest).get("d").orElse("").toLowerCase(Locale.ROOT) : "";
        if (newest == 0 || newest > MAX_INSTANCES || seals.size() != newest || signatures.size() != newest
                || results.size() != newest) {
            return ArcResult.fail(newest, sealer, "ARC sets incomplete or out of range");
        }
        for (int i = 1; i <= newest; i++) {
            if (!signatures.containsKey(i) || !results.containsKey(i)) {
                return ArcResult.fail(newest, sealer, "ARC set " + i + " incomplete");
            }
            String cv = sealTags.get(i).get("cv").orElse("").toLowerCase(Locale.ROOT);
            if (i == newest && cv.equals("fail")) {
                return ArcResult.fail(newest, sealer, "the chain was already broken when set " + i + " was added");
            }
            if (!cv.equals(i == 1 ? "none" : "pass")) {
                return ArcResult.fail(newest, sealer, "ARC-Seal " + i + " has cv=" + cv);
            }
            if (sealTags.get(i).has("h")) {
                return ArcResult.fail(newest, sealer, "ARC-Seal " + i + " has h=");
            }
        }
        Optional<String> signatureProblem = checkSignature(headers, signatures.get(newest), signatureTags.get(newest), body);
        if (signatureProblem.isPresent()) {
            return ArcResult.fail(newest, sealer, "ARC-Message-Signature " + newest + ": " + signatureProblem.get());
        }
        for (int i = newest; i >= 1; i--) {
            StringBuilder data = new StringBuilder();
            for (int j = 1; j <= i; j++) {
                data.append(Canonicalization.RELAXED.header(results.get(j).raw()))
                    .append(Canonicalization.RELAXED.header(signatures.get(j).raw()));
                if (j < i) {
                    data.append(Canonicalization.RELAXED.header(seals.get(j).raw()));
                }
            }
            data.append(Signatures.withEmptySignature(seals.get(i), Canonicalization.RELAXED));
            Optional<String> problem = verify(sealTags.get(i), data.toString());
            if (problem.isPresent()) {
                return ArcResult.fail(newest, sealer, "ARC-Seal " + i + ": " + problem.get());
            }
        }
        return new ArcResult(ArcResult.Status.PASS, newest, sealer, "");
    }

    /** The newest ARC-Message-Signature over the message as it arrived, as DKIM checks a signature. */
    private Optional<String> checkSignature(HeaderBlock headers, HeaderBlock.Field field, TagList tags, InputStream body)
            throws IOException {
        for (String required : List.of("a", "b", "bh", "d", "h", "s")) {
            if (!tags.has(required)) {
                return Optional.of("lacks " + required + "=");
            }
        }
        String h = tags.compact("h").orElse("").toLowerCase(Locale.ROOT);
        if (List.of(h.split(":")).contains("arc-seal")) {
            return Optional.of("signs ARC-Seal");
        }
        Canonicalization header;
        Canonicalization bodyCanonicalization;
        try {
            String[] c = tags.compact("c").orElse("simple/simple").split("/", 2);
            header = Canonicalization.parse(c[0]);
            bodyCanonicalization = Canonicalization.parse(c.length > 1 ? c[1] : "simple");
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        Canonicalization.BodyHasher hasher;
        try {
            hasher = bodyCanonicalization.body(MessageDigest.getInstance("SHA-256"), Long.MAX_VALUE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        body.transferTo(hasher);
        byte[] declared;
        try {
            declared = Base64.getDecoder().decode(tags.compact("bh").orElse(""));
        } catch (IllegalArgumentException e) {
            return Optional.of("bad bh=");
        }
        if (!MessageDigest.isEqual(declared, hasher.finish())) {
            return Optional.of("body hash did not verify");
        }
        return verify(tags, Signatures.selectedHeaders(h, headers, header) + Signatures.withEmptySignature(field, header));
    }

    /** Checks {@code b=} of a seal or signature over {@code data} with the key its {@code d=} and {@code s=} name. */
    private Optional<String> verify(TagList tags, String data) {
        Optional<DkimAlgorithm> algorithm = DkimAlgorithm.ofTag(tags.get("a").orElse(""));
        if (algorithm.isEmpty()) {
            return Optional.of("unsupported algorithm " + tags.get("a").orElse(""));
        }
        String domain = tags.get("d").orElse("").toLowerCase(Locale.ROOT);
        KeyRecords.Lookup lookup = keys.find(algorithm.get(), tags.get("s").orElse(""), domain);
        if (lookup instanceof KeyRecords.Failed failed) {
            return Optional.of(failed.reason());
        }
        if (!Signatures.verify(algorithm.get(), ((KeyRecords.Found) lookup).key(), data, tags.compact("b").orElse(""))) {
            return Optional.of("signature did not verify");
        }
        return Optional.empty();
    }

    private static int instance(String text) {
        try {
            return text.length() > 3 ? -1 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
