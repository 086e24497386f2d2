package org.letterbox.mailauth.arc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.letterbox.mailauth.dkim.Canonicalization;
import org.letterbox.mailauth.dkim.DkimKey;
import org.letterbox.mailauth.dkim.HeaderBlock;
import org.letterbox.mailauth.dkim.Signatures;

/** Adds an ARC set to a message, as a mailing list or forwarder would (RFC 8617 §5.1): the fixture of ArcVerifierTest. */
final class ArcSealing {

    private static final Pattern INSTANCE = Pattern.compile("i\\s*=\\s*(\\d+)");

    private ArcSealing() {
    }

    /** {@code message} with the next ARC set on top, sealed by {@code key} with chain status {@code cv}. */
    static String seal(String message, DkimKey key, String authservId, String results, String cv) throws Exception {
        HeaderBlock headers;
        String bodyHash;
        try (InputStream in = new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))) {
            headers = HeaderBlock.read(in);
            Canonicalization.BodyHasher hasher = Canonicalization.RELAXED.body(MessageDigest.getInstance("SHA-256"), Long.MAX_VALUE);
            in.transferTo(hasher);
            bodyHash = Base64.getEncoder().encodeToString(hasher.finish());
        }
        TreeMap<Integer, List<HeaderBlock.Field>> sets = new TreeMap<>();
        for (String name : List.of("ARC-Authentication-Results", "ARC-Message-Signature", "ARC-Seal")) {
            for (HeaderBlock.Field field : headers.all(name)) {
                Matcher matcher = INSTANCE.matcher(field.value());
                matcher.find();
                sets.computeIfAbsent(Integer.parseInt(matcher.group(1)), i -> new ArrayList<>()).add(field);
            }
        }
        int instance = sets.isEmpty() ? 1 : sets.lastKey() + 1;
        long now = System.currentTimeMillis() / 1000;
        String aar = "ARC-Authentication-Results: i=" + instance + "; " + authservId + ";\r\n\t" + results + "\r\n";
        List<String> names = new ArrayList<>();
        for (String name : List.of("From", "To", "Subject", "Date", "Message-ID", "DKIM-Signature")) {
            headers.all(name).forEach(field -> names.add(name));
        }
        String amsValue = " i=" + instance + "; a=" + key.algorithm().tag() + "; c=relaxed/relaxed; d=" + key.domain()
            + "; s=" + key.selector() + ";\r\n\tt=" + now + "; h=" + String.join(":", names) + ";\r\n\tbh=" + bodyHash + "; b=";
        String amsData = Signatures.selectedHeaders(String.join(":", names), headers, Canonicalization.RELAXED)
            + Signatures.withEmptySignature(new HeaderBlock.Field("ARC-Message-Signature", "ARC-Message-Signature:" + amsValue),
                Canonicalization.RELAXED);
        String ams = "ARC-Message-Signature:" + amsValue
            + Signatures.fold(Base64.getEncoder().encodeToString(Signatures.sign(key, amsData))) + "\r\n";
        String asValue = " i=" + instance + "; a=" + key.algorithm().tag() + "; cv=" + cv + "; d=" + key.domain()
            + "; s=" + key.selector() + ";\r\n\tt=" + now + "; b=";
        StringBuilder asData = new StringBuilder();
        for (List<HeaderBlock.Field> set : sets.values()) {
            for (String name : List.of("ARC-Authentication-Results", "ARC-Message-Signature", "ARC-Seal")) {
                set.stream().filter(field -> field.is(name))
                    .forEach(field -> asData.append(Canonicalization.RELAXED.header(field.raw())));
            }
        }
        asData.append(Canonicalization.RELAXED.header(aar.substring(0, aar.length() - 2)))
            .append(Canonicalization.RELAXED.header(ams.substring(0, ams.length() - 2)))
            .append(Signatures.withEmptySignature(new HeaderBlock.Field("ARC-Seal", "ARC-Seal:" + asValue), Canonicalization.RELAXED));
        String seal = "ARC-Seal:" + asValue
            + Signatures.fold(Base64.getEncoder().encodeToString(Signatures.sign(key, asData.toString()))) + "\r\n";
        return seal + ams + aar + message;
    }

    static ArcResult verify(ArcVerifier verifier, String message) throws IOException {
        try (InputStream in = new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))) {
            return verifier.verify(HeaderBlock.read(in), in);
        }
    }
}
