package org.letterbox.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.letterbox.web.HttpClientSocket.exchange;
import static org.letterbox.web.HttpClientSocket.get;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.TestTls;
import org.letterbox.web.ClientEndpoint.Protocol;
import org.letterbox.web.ClientEndpoint.Security;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The web listener over real TLS on loopback, one transcript per client and per limit. */
class WebServerTest {

    private static final ClientSettings BOTH = new ClientSettings("mail.example.test", List.of(
        new ClientEndpoint(Protocol.IMAP, 993, Security.IMPLICIT_TLS), new ClientEndpoint(Protocol.IMAP, 143, Security.STARTTLS),
        new ClientEndpoint(Protocol.POP3, 995, Security.IMPLICIT_TLS), new ClientEndpoint(Protocol.POP3, 110, Security.STARTTLS),
        new ClientEndpoint(Protocol.SMTP, 465, Security.IMPLICIT_TLS), new ClientEndpoint(Protocol.SMTP, 587, Security.STARTTLS)));
    private static final ClientSettings STARTTLS_ONLY = new ClientSettings("mail.example.test", List.of(
        new ClientEndpoint(Protocol.IMAP, 143, Security.STARTTLS), new ClientEndpoint(Protocol.SMTP, 587, Security.STARTTLS)));
    private static final String POX_REQUEST = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
        + "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">"
        + "<Request><EMailAddress>you@example.test</EMailAddress>"
        + "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
        + "</AcceptableResponseSchema></Request></Autodiscover>";

    private final AcmeChallenges challenges = new AcmeChallenges();
    private WebServer server;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void setUp() {
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        if (server != null) {
            server.close();
        }
    }

    private void start(ClientSettings clients, WebSettings settings) {
        server = WebServer.start(settings, clients, Set.of("example.test")::contains, challenges, TestTls.serverContext());
    }

    private void start(ClientSettings clients) {
        start(clients, WebSettings.defaults("127.0.0.1", 0, 0));
    }

    private static Document xml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    /** Each server element as "type host port socketType username authentication". */
    private static List<String> servers(Document document, String element) {
        List<String> out = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName(element);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element server = (Element) nodes.item(i);
            out.add(server.getAttribute("type") + " " + text(server, "hostname") + " " + text(server, "port") + " "
                + text(server, "socketType") + " " + text(server, "username") + " " + text(server, "authentication"));
        }
        return out;
    }

    @Test
    void thunderbirdFindsTheSettingsAtBothOfItsAddresses() throws Exception {
        start(BOTH);
        var atSubdomain = get(server.httpsPort(), "autoconfig.example.test", "/mail/config-v1.1.xml?emailaddress=you%40example.test");
        var atWellKnown = get(server.httpsPort(), "example.test", "/.well-known/autoconfig/mail/config-v1.1.xml");

        for (var response : List.of(atSubdomain, atWellKnown)) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("text/xml; charset=utf-8");
            Document document = xml(response.body());
            Element root = document.getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("clientConfig");
            assertThat(root.getAttribute("version")).isEqualTo("1.1");
            Element provider = (Element) root.getElementsByTagName("emailProvider").item(0);
            assertThat(provider.getAttribute("id")).isEqualTo("example.test");
            assertThat(text(provider, "domain")).isEqualTo("example.test");
            assertThat(servers(document, "incomingServer")).containsExactly(
                "imap mail.example.test 993 SSL %EMAILADDRESS% password-cleartext",
                "imap mail.example.test 143 STARTTLS %EMAILADDRESS% password-cleartext",
                "pop3 mail.example.test 995 SSL %EMAILADDRESS% password-cleartext",
                "pop3 mail.example.test 110 STARTTLS %EMAILADDRESS% password-cleartext");
            assertThat(servers(document, "outgoingServer")).containsExactly(
                "smtp mail.example.test 465 SSL %EMAILADDRESS% password-cleartext",
                "smtp mail.example.test 587 STARTTLS %EMAILADDRESS% password-cleartext");
        }
        assertThat(get(server.httpsPort(), "autoconfig.other.test", "/mail/config-v1.1.xml").status()).isEqualTo(404);
        assertThat(get(server.httpsPort(), "autoconfig.example.test", "/mail/config-v1.1.xml?emailaddress=you%40other.test")
            .status()).isEqualTo(404);
    }

    private HttpClientSocket.Response pox(String body, String password) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString(("you@example.test:" + password).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange(server.httpsPort(), true, "POST /Autodiscover/Autodiscover.xml HTTP/1.1\r\nHost: autodiscover.example.test\r\n"
            + "Authorization: Basic " + basic + "\r\nContent-Type: text/xml\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
    }

    /** Each Protocol element as "Type Server Port SSL Encryption LoginName". */
    private static List<String> protocols(Document document) {
        List<String> out = new ArrayList<>();
        NodeList nodes = document.getElementsByTagNameNS(OutlookAutodiscover.OUTLOOK_NS, "Protocol");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element protocol = (Element) nodes.item(i);
            out.add(text(protocol, "Type") + " " + text(protocol, "Server") + " " + text(protocol, "Port") + " SSL="
                + text(protocol, "SSL") + " Encryption=" + text(protocol, "Encryption") + " " + text(protocol, "LoginName"));
        }
        return out;
    }

    @Test
    void outlookGetsImplicitTlsAsSslOnWithoutEncryptionAndThePasswordGoesNowhere() throws Exception {
        start(BOTH);
        var response = pox(POX_REQUEST, "Secret-Pa55word");

        assertThat(response.status()).isEqualTo(200);
        Document document = xml(response.body());
        assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo(OutlookAutodiscover.RESPONSE_NS);
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("Autodiscover");
        Element inner = (Element) document.getDocumentElement().getElementsByTagNameNS("*", "Response").item(0);
        assertThat(inner.getNamespaceURI()).isEqualTo(OutlookAutodiscover.OUTLOOK_NS);
        assertThat(text(inner, "AccountType")).isEqualTo("email");
        assertThat(text(inner, "Action")).isEqualTo("settings");
        assertThat(protocols(document)).containsExactly(
            "IMAP mail.example.test 993 SSL=on Encryption=null you@example.test",
            "SMTP mail.example.test 465 SSL=on Encryption=null you@example.test");
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
            .anySatisfy(line -> assertThat(line).contains("path=/Autodiscover/Autodiscover.xml status=200"))
            .noneSatisfy(line -> assertThat(line).containsIgnoringCase("Secret-Pa55word"));
    }

    @Test
    void outlookGetsStarttlsAsEncryptionTlsWhenThatIsAllThereIs() throws Exception {
        start(STARTTLS_ONLY);
        assertThat(protocols(xml(pox(POX_REQUEST, "x").body()))).containsExactly(
            "IMAP mail.example.test 143 SSL=on Encryption=TLS you@example.test",
            "SMTP mail.example.test 587 SSL=on Encryption=TLS you@example.test");
    }

    @Test
    void autodiscoverAnswersOnlyForLocalAddressesAndExpandsNoEntities() throws Exception {
        start(BOTH);
        assertThat(pox(POX_REQUEST.replace("you@example.test", "you@other.test"), "x").status()).isEqualTo(404);
        assertThat(pox(POX_REQUEST.replace("outlook/responseschema/2006a", "mobilesync/responseschema/2006"), "x").status())
            .isEqualTo(404);
        String external = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
            + "<Autodiscover><Request><EMailAddress>&e;@example.test</EMailAddress></Request></Autodiscover>";
        assertThat(pox(external, "x").status()).isEqualTo(404);
        var getInstead = get(server.httpsPort(), "autodiscover.example.test", "/autodiscover/autodiscover.xml");
        assertThat(getInstead.status()).isEqualTo(405);
        assertThat(getInstead.header("Allow")).isEqualTo("POST");
    }

    @Test
    void outlooksJsonQuestionIsSentToThePoxDocument() throws Exception {
        start(BOTH);
        var v1 = get(server.httpsPort(), "autodiscover.example.test",
            "/autodiscover/autodiscover.json/v1.0/you@example.test?Protocol=AutodiscoverV1");
        assertThat(v1.status()).isEqualTo(200);
        assertThat(v1.header("Content-Type")).isEqualTo("application/json");
        assertThat(v1.body()).isEqualTo("{\"Protocol\":\"AutodiscoverV1\","
            + "\"Url\":\"https://autodiscover.example.test/autodiscover/autodiscover.xml\"}");
        assertThat(get(server.httpsPort(), "autodiscover.example.test",
            "/autodiscover/autodiscover.json?Email=you%40example.test&Protocol=AutodiscoverV1").body()).isEqualTo(v1.body());
        assertThat(get(server.httpsPort(), "autodiscover.example.test",
            "/autodiscover/autodiscover.json/v1.0/you@example.test?Protocol=ActiveSync").status()).isEqualTo(400);
    }

    @Test
    void appleDevicesGetAProfileWithoutAPasswordFromThePage() throws Exception {
        start(BOTH);
        var page = get(server.httpsPort(), "mail.example.test", "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"get\" action=\"/apple/profile\">", "<td>IMAP</td><td>mail.example.test</td><td>993</td>");

        var profile = get(server.httpsPort(), "mail.example.test", "/apple/profile?emailaddress=you%40example.test");
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.header("Content-Type")).isEqualTo("application/x-apple-aspen-config");
        assertThat(profile.header("Content-Disposition")).isEqualTo("attachment; filename=\"mail.mobileconfig\"");
        Document plist = xml(profile.body());
        NodeList keys = plist.getElementsByTagName("key");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keys.getLength(); i++) {
            names.add(keys.item(i).getTextContent());
        }
        assertThat(names).contains("PayloadType", "IncomingMailServerHostName", "IncomingMailServerPortNumber",
            "OutgoingMailServerPortNumber", "EmailAddress").noneMatch(name -> name.contains("Password") && !name.equals("OutgoingPasswordSameAsIncomingPassword"));
        assertThat(profile.body()).contains("<string>com.apple.mail.managed</string>", "<integer>993</integer>",
            "<integer>465</integer>", "<string>EmailTypeIMAP</string>");
        // the same address gets the same identifiers, so a second install replaces the first
        assertThat(get(server.httpsPort(), "mail.example.test", "/apple/profile?emailaddress=you%40example.test").body())
            .isEqualTo(profile.body());
        assertThat(get(server.httpsPort(), "mail.example.test", "/apple/profile?emailaddress=you%40other.test").status())
            .isEqualTo(404);
    }

    @Test
    void theMtaStsPolicyIsServedForLocalDomainsInTheConfiguredMode() throws Exception {
        start(BOTH, new WebSettings("127.0.0.1", 0, "127.0.0.1", 0, "testing", 16_384, 8_192, 10, 200, 20, org.letterbox.net.proxy.ProxyProtocol.off()));
        var policy = get(server.httpsPort(), "mta-sts.example.test", "/.well-known/mta-sts.txt");
        assertThat(policy.status()).isEqualTo(200);
        assertThat(policy.header("Content-Type")).isEqualTo("text/plain");
        assertThat(policy.body()).isEqualTo("version: STSv1\r\nmode: testing\r\nmx: mail.example.test\r\nmax_age: 604800\r\n");
        assertThat(server.mtaStsPolicy().text()).isEqualTo(policy.body());
        assertThat(server.mtaStsPolicy().id()).isNotEqualTo(MtaStsPolicyFile.enforcing("mail.example.test").id());
        assertThat(get(server.httpsPort(), "mta-sts.other.test", "/.well-known/mta-sts.txt").status()).isEqualTo(404);
        assertThat(get(server.httpsPort(), "example.test", "/.well-known/mta-sts.txt").status()).isEqualTo(404);
    }

    @Test
    void nothingElseIsServed() throws Exception {
        start(BOTH);
        assertThat(get(server.httpsPort(), "mail.example.test", "/etc/passwd").status()).isEqualTo(404);
        assertThat(get(server.httpsPort(), "mail.example.test", "/mail/../.well-known/mta-sts.txt").status()).isEqualTo(404);
        var put = exchange(server.httpsPort(), true, "PUT / HTTP/1.1\r\nHost: mail.example.test\r\nContent-Length: 0\r\n\r\n");
        assertThat(put.status()).isEqualTo(405);
        assertThat(exchange(server.httpsPort(), true, "NONSENSE\r\n\r\n").status()).isEqualTo(400);
    }

    @Test
    void plainHttpServesAcmeChallengesAndSendsKnownNamesToHttps() throws Exception {
        start(BOTH);
        challenges.add("Zm9vYmFyYmF6cXV1eF90b2tlbg", "Zm9vYmFyYmF6cXV1eF90b2tlbg.thumbprint");
        var challenge = exchange(server.httpPort(), false,
            "GET /.well-known/acme-challenge/Zm9vYmFyYmF6cXV1eF90b2tlbg HTTP/1.1\r\nHost: mail.example.test\r\n\r\n");
        assertThat(challenge.status()).isEqualTo(200);
        assertThat(challenge.body()).isEqualTo("Zm9vYmFyYmF6cXV1eF90b2tlbg.thumbprint");
        assertThat(exchange(server.httpPort(), false,
            "GET /.well-known/acme-challenge/unknownunknownunknown HTTP/1.1\r\nHost: mail.example.test\r\n\r\n").status())
            .isEqualTo(404);

        var redirect = exchange(server.httpPort(), false,
            "GET /mail/config-v1.1.xml?emailaddress=you%40example.test HTTP/1.1\r\nHost: autoconfig.example.test\r\n\r\n");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("https://autoconfig.example.test:" + server.httpsPort()
            + "/mail/config-v1.1.xml?emailaddress=you%40example.test");
        assertThat(exchange(server.httpPort(), false, "GET / HTTP/1.1\r\nHost: evil.test\r\n\r\n").status()).isEqualTo(404);
    }

    @Test
    void anOversizedBodyIsRefusedUnreadAndOversizedHeadersToo() throws Exception {
        start(BOTH);
        var tooBig = exchange(server.httpsPort(), true, "POST /autodiscover/autodiscover.xml HTTP/1.1\r\n"
            + "Host: autodiscover.example.test\r\nContent-Length: 1000000\r\n\r\n");
        assertThat(tooBig.status()).isEqualTo(413);
        var longHeader = get(server.httpsPort(), "mail.example.test\r\nX-Filler: " + "a".repeat(10_000), "/");
        assertThat(longHeader.status()).isEqualTo(431);
    }

    @Test
    void aClientThatDoesNotFinishItsRequestIsCutOff() throws Exception {
        start(BOTH, new WebSettings("127.0.0.1", 0, "127.0.0.1", 0, "enforce", 16_384, 8_192, 1, 200, 20, org.letterbox.net.proxy.ProxyProtocol.off()));
        try (Socket slow = HttpClientSocket.open(server.httpsPort(), true)) {
            slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: mail.exa".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            long started = System.nanoTime();
            InputStream in = slow.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (java.io.IOException e) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(500L, 5_000L);
        }
    }
}
