package org.letterbox.web;

import java.io.ByteArrayInputStream;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Outlook's POX autodiscover (the 2006 request schema, the 2006a response schema) and the JSON document recent
 * Outlook versions ask for first. Outlook reads {@code <Encryption>TLS</Encryption>} as STARTTLS, so an implicit-TLS
 * endpoint is described by {@code <SSL>on</SSL>} alone, and a STARTTLS one by {@code Encryption TLS}.
 */
final class OutlookAutodiscover {

    static final String RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    static final String OUTLOOK_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private OutlookAutodiscover() {
    }

    /**
     * The address in a POX request, or empty when the body is not one (or asks for a schema other than 2006a,
     * such as ActiveSync's). The parser loads no DTD and expands no entity.
     */
    static Optional<String> requestedAddress(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(new ByteArrayInputStream(body));
            NodeList schemas = document.getElementsByTagNameNS("*", "AcceptableResponseSchema");
            if (schemas.getLength() > 0 && !schemas.item(0).getTextContent().trim().equals(OUTLOOK_NS)) {
                return Optional.empty();
            }
            NodeList addresses = document.getElementsByTagNameNS("*", "EMailAddress");
            if (addresses.getLength() == 0) {
                return Optional.empty();
            }
            return Optional.of(addresses.item(0).getTextContent().trim());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The 2006a response: the most preferred IMAP (else POP3) endpoint and the most preferred SMTP one. */
    static String response(ClientSettings settings, String address) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
            .append("<Autodiscover xmlns=\"").append(RESPONSE_NS).append("\">\n")
            .append("  <Response xmlns=\"").append(OUTLOOK_NS).append("\">\n")
            .append("    <User>\n      <DisplayName>").append(Xml.escape(address)).append("</DisplayName>\n    </User>\n")
            .append("    <Account>\n      <AccountType>email</AccountType>\n      <Action>settings</Action>\n");
        var incoming = settings.incoming();
        if (!incoming.isEmpty()) {
            protocol(xml, incoming.get(0), settings.hostname(), address);
        }
        if (!settings.of(ClientEndpoint.Protocol.SMTP).isEmpty()) {
            protocol(xml, settings.of(ClientEndpoint.Protocol.SMTP).get(0), settings.hostname(), address);
        }
        return xml.append("    </Account>\n  </Response>\n</Autodiscover>\n").toString();
    }

    private static void protocol(StringBuilder xml, ClientEndpoint endpoint, String hostname, String address) {
        xml.append("      <Protocol>\n")
            .append("        <Type>").append(endpoint.protocol().name()).append("</Type>\n")
            .append("        <Server>").append(Xml.escape(hostname)).append("</Server>\n")
            .append("        <Port>").append(endpoint.port()).append("</Port>\n")
            .append("        <LoginName>").append(Xml.escape(address)).append("</LoginName>\n")
            .append("        <DomainRequired>off</DomainRequired>\n")
            .append("        <SPA>off</SPA>\n")
            .append("        <SSL>on</SSL>\n");
        if (endpoint.security() == ClientEndpoint.Security.STARTTLS) {
            xml.append("        <Encryption>TLS</Encryption>\n");
        }
        xml.append("        <AuthRequired>on</AuthRequired>\n");
        if (endpoint.protocol() == ClientEndpoint.Protocol.SMTP) {
            xml.append("        <UsePOPAuth>on</UsePOPAuth>\n        <SMTPLast>off</SMTPLast>\n");
        }
        xml.append("      </Protocol>\n");
    }

    /** The JSON answer to {@code autodiscover.json?Protocol=AutodiscoverV1}: where the POX document is. */
    static String jsonRedirect(String domain) {
        return "{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://autodiscover." + domain + "/autodiscover/autodiscover.xml\"}";
    }
}
