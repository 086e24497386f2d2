package org.letterbox.web.acme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM files of keys and certificates, written owner-only and atomically (a reader never sees half a file). */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Pem() {
    }

    static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static List<byte[]> blocks(String text, String type) {
        List<byte[]> out = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(matcher.group(2)));
            }
        }
        return out;
    }

    /** Writes {@code text} to {@code file} readable by its owner only, through a file beside it. */
    static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary);
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A key pair as two blocks, PRIVATE KEY (PKCS#8) and PUBLIC KEY (X.509). */
    static String keyPair(KeyPair pair) {
        return block("PRIVATE KEY", pair.getPrivate().getEncoded()) + block("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    static KeyPair readKeyPair(Path file, String algorithm) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<byte[]> privates = blocks(text, "PRIVATE KEY");
        List<byte[]> publics = blocks(text, "PUBLIC KEY");
        if (privates.size() != 1 || publics.size() != 1) {
            throw new IOException(file + " does not hold one key pair");
        }
        KeyFactory factory = KeyFactory.getInstance(algorithm);
        return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(publics.get(0))),
            factory.generatePrivate(new PKCS8EncodedKeySpec(privates.get(0))));
    }

    static List<X509Certificate> readChain(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (byte[] der : blocks(Files.readString(file, StandardCharsets.US_ASCII), "CERTIFICATE")) {
            chain.add((X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(der)));
        }
        return chain;
    }
}
