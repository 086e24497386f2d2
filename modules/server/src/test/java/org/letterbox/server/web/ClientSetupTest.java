package org.letterbox.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.net.ssl.SSLSocket;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.LetterboxServer;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the running server's web listener tells each kind of client, followed to the letter by a real client
 * library (Angus Mail): every server a Thunderbird autoconfig document, an Outlook autodiscover answer and an Apple
 * profile describe accepts the address and password over IMAP, POP3 and SMTP.
 */
@Tag("slow")
class ClientSetupTest {

    private static final String ADDRESS = "you@example.test";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;
    private LetterboxServer server;
    private int https;

    /** One server a document describes. */
    record Described(String protocol, String host, int port, boolean implicitTls, String user) {
    }

    @BeforeEach
    void setUp() throws Exception {
        https = FreePort.next();
        Path file = dir.resolve("letterbox.yaml");
        Files.writeString(file, "hostname: localhost\ndataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n  mx: { enabled: false }\n  submission: { port: " + FreePort.next() + " }\n"
            + "  submissions: { port: " + FreePort.next() + " }\n"
            + "imap:\n  imap: { port: " + FreePort.next() + " }\n  imaps: { port: " + FreePort.next() + " }\n"
            + "pop3:\n  pop3: { port: " + FreePort.next() + " }\n  pop3s: { port: " + FreePort.next() + " }\n"
            + "web:\n  https: { port: " + https + " }\n  http: { port: " + FreePort.next() + " }\n"
            + "admin: { enabled: false }\nmailAuth: { enabled: false }\n");
        server = LetterboxServer.start(new ConfigLoader().load(file));
        server.store().accounts().addDomain("example.test");
        server.store().createUser(ADDRESS, PASSWORD);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    /** The body of the answer to {@code request} over HTTPS; the status must be 200. */
    private String fetch(String request) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", https), 5000);
            plain.setSoTimeout(10_000);
            try (SSLSocket socket = (SSLSocket) org.letterbox.testing.TestTls.acceptingAnyCertificate().getSocketFactory().createSocket(plain, "localhost", https, true)) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                socket.getInputStream().transferTo(response);
                String text = response.toString(StandardCharsets.UTF_8);
                assertThat(text).startsWith("HTTP/1.1 200 OK\r\n");
                return text.substring(text.indexOf("\r\n\r\n") + 4);
            }
        }
    }

    private static Document xml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS("*", name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    /** Logs in as the description says, with Angus Mail, certificate checks aside (the test's is self-signed). */
    private static void logIn(Described server) throws Exception {
        String kind = switch (server.protocol()) {
            case "imap" -> server.implicitTls() ? "imaps" : "imap";
            case "pop3" -> server.implicitTls() ? "pop3s" : "pop3";
            default -> server.implicitTls() ? "smtps" : "smtp";
        };
        Properties props = new Properties();
        props.put("mail." + kind + ".ssl.trust", "*");
        props.put("mail." + kind + ".ssl.checkserveridentity", "false");
        props.put("mail." + kind + ".connectiontimeout", "10000");
        props.put("mail." + kind + ".timeout", "10000");
        if (!server.implicitTls()) {
            props.put("mail." + kind + ".starttls.enable", "true");
            props.put("mail." + kind + ".starttls.required", "true");
        }
        if (kind.startsWith("smtp")) {
            props.put("mail." + kind + ".auth", "true");
            try (Transport transport = Session.getInstance(props).getTransport(kind)) {
                transport.connect(server.host(), server.port(), server.user(), PASSWORD);
                assertThat(transport.isConnected()).as(server.toString()).isTrue();
            }
        } else {
            try (Store store = Session.getInstance(props).getStore(kind)) {
                store.connect(server.host(), server.port(), server.user(), PASSWORD);
                assertThat(store.getFolder("INBOX").exists()).as(server.toString()).isTrue();
            }
        }
    }

    @Test
    void everyServerOfThunderbirdsAutoconfigLogsIn() throws Exception {
        Document document = xml(fetch("GET /mail/config-v1.1.xml?emailaddress=you%40example.test HTTP/1.1\r\n"
            + "Host: autoconfig.example.test\r\n\r\n"));
        List<Described> servers = new ArrayList<>();
        for (String element : List.of("incomingServer", "outgoingServer")) {
            NodeList nodes = document.getElementsByTagName(element);
            for (int i = 0; i < nodes.getLength(); i++) {
                Element server = (Element) nodes.item(i);
                servers.add(new Described(server.getAttribute("type"), text(server, "hostname"),
                    Integer.parseInt(text(server, "port")), text(server, "socketType").equals("SSL"),
                    text(server, "username").replace("%EMAILADDRESS%", ADDRESS)));
            }
        }
        assertThat(servers).extracting(server -> server.protocol() + (server.implicitTls() ? " SSL" : " STARTTLS"))
            .containsExactly("imap SSL", "imap STARTTLS", "pop3 SSL", "pop3 STARTTLS", "smtp SSL", "smtp STARTTLS");
        for (Described server : servers) {
            logIn(server);
        }
    }

    @Test
    void bothServersOfOutlooksAutodiscoverLogIn() throws Exception {
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/"
            + "exchange/autodiscover/outlook/requestschema/2006\"><Request><EMailAddress>" + ADDRESS + "</EMailAddress>"
            + "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
            + "</AcceptableResponseSchema></Request></Autodiscover>";
        Document document = xml(fetch("POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: autodiscover.example.test\r\n"
            + "Content-Type: text/xml\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body));
        NodeList protocols = document.getElementsByTagNameNS("*", "Protocol");
        List<Described> servers = new ArrayList<>();
        for (int i = 0; i < protocols.getLength(); i++) {
            Element protocol = (Element) protocols.item(i);
            // Outlook: SSL on with no Encryption element is implicit TLS; Encryption TLS is STARTTLS
            boolean implicit = "on".equals(text(protocol, "SSL")) && text(protocol, "Encryption") == null;
            servers.add(new Described(text(protocol, "Type").toLowerCase(), text(protocol, "Server"),
                Integer.parseInt(text(protocol, "Port")), implicit, text(protocol, "LoginName")));
        }
        assertThat(servers).extracting(Described::protocol).containsExactly("imap", "smtp");
        assertThat(servers).allMatch(Described::implicitTls);
        for (Described server : servers) {
            logIn(server);
        }
    }

    @Test
    void theAppleProfileDescribesServersThatLogIn() throws Exception {
        Document plist = xml(fetch("GET /apple/profile?emailaddress=you%40example.test HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        NodeList keys = plist.getElementsByTagName("key");
        java.util.Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < keys.getLength(); i++) {
            org.w3c.dom.Node value = keys.item(i).getNextSibling();
            while (value != null && value.getNodeType() != org.w3c.dom.Node.ELEMENT_NODE) {
                value = value.getNextSibling();
            }
            values.putIfAbsent(keys.item(i).getTextContent(), value == null ? null
                : value.getNodeName().equals("true") ? "true" : value.getTextContent());
        }
        assertThat(values).containsEntry("EmailAccountType", "EmailTypeIMAP").containsEntry("IncomingMailServerUseSSL", "true");
        logIn(new Described("imap", values.get("IncomingMailServerHostName"),
            Integer.parseInt(values.get("IncomingMailServerPortNumber")), true, values.get("IncomingMailServerUsername")));
        logIn(new Described("smtp", values.get("OutgoingMailServerHostName"),
            Integer.parseInt(values.get("OutgoingMailServerPortNumber")), true, values.get("OutgoingMailServerUsername")));
    }
}
