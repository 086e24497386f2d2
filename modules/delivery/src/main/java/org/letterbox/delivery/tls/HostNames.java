package org.letterbox.delivery.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Host names and the patterns that match them: certificate names (RFC 6125) and MTA-STS {@code mx:} patterns. */
public final class HostNames {

    private HostNames() {
    }

    /**
     * True when {@code pattern} matches {@code host}: equal ignoring case, or {@code *.rest} matching exactly one
     * label in front of {@code rest}.
     */
    public static boolean matches(String pattern, String host) {
        String p = trim(pattern);
        String h = trim(host);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(p.substring(2));
        }
        return p.equals(h);
    }

    private static String trim(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** True when one of the certificate's DNS names (its CN when it has none) matches {@code host}. */
    static boolean certificateNames(X509Certificate certificate, String host) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() >= 2 && Integer.valueOf(2).equals(alternative.get(0))) {
                        names.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (javax.naming.InvalidNameException e) {
                return false;
            }
        }
        return names.stream().anyMatch(name -> matches(name, host));
    }
}
