package org.letterbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestTls;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;

/** Real clients: Angus Mail's POP3 provider over STLS, and fetchmail-style "keep" and "delete" cycles by UIDL. */
class Pop3ClientsTest {

    private Pop3Fixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new Pop3Fixture();
        port = fixture.start();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void angusMailReadsEveryMessageOverStlsWithTheStoredBytes() throws Exception {
        fixture.deliver("first");
        fixture.deliver("second");
        Properties props = new Properties();
        props.put("mail.pop3.host", "127.0.0.1");
        props.put("mail.pop3.port", String.valueOf(port));
        props.put("mail.pop3.starttls.enable", "true");
        props.put("mail.pop3.starttls.required", "true");
        props.put("mail.pop3.ssl.socketFactory", TestTls.clientContext().getSocketFactory());
        props.put("mail.pop3.ssl.checkserveridentity", "false");
        props.put("mail.pop3.connectiontimeout", "10000");
        props.put("mail.pop3.timeout", "10000");
        Session session = Session.getInstance(props);
        try (Store store = session.getStore("pop3")) {
            store.connect("alice@example.test", "alice-pw");
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            assertThat(messages).hasSize(2);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            messages[0].writeTo(raw);
            assertThat(raw.toByteArray()).isEqualTo(Pop3Fixture.message("first"));
            assertThat(((org.eclipse.angus.mail.pop3.POP3Folder) inbox).getUID(messages[1])).matches("\\d+\\.2");
            inbox.close(false);
        }
    }

    private static List<String> uidl(LineClient c) throws Exception {
        c.send("UIDL");
        c.readLine();
        List<String> uids = new ArrayList<>();
        for (String line : Pop3Fixture.multiline(c)) {
            uids.add(line.substring(line.indexOf(' ') + 1));
        }
        return uids;
    }

    @Test
    void keepCycleDownloadsNothingNewTheSecondTime() throws Exception {
        fixture.deliver("one");
        fixture.deliver("two");
        Set<String> seen = new HashSet<>();
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            List<String> uids = uidl(c);
            for (int i = 0; i < uids.size(); i++) {
                c.send("RETR " + (i + 1));
                assertThat(c.readLine()).startsWith("+OK");
                Pop3Fixture.multiline(c);
                seen.add(uids.get(i));
            }
            c.send("QUIT");
            c.readLine();
        }
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            List<String> uids = uidl(c);
            assertThat(uids).hasSize(2);
            assertThat(seen).containsAll(uids);
            c.send("QUIT");
            c.readLine();
        }
        fixture.deliver("three");
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            List<String> fresh = new ArrayList<>(uidl(c));
            fresh.removeAll(seen);
            assertThat(fresh).hasSize(1);
        }
    }

    @Test
    void deleteCycleEmptiesTheMaildrop() throws Exception {
        fixture.deliver("one");
        fixture.deliver("two");
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            for (int i = 1; i <= 2; i++) {
                c.send("RETR " + i);
                c.readLine();
                Pop3Fixture.multiline(c);
                c.send("DELE " + i);
                assertThat(c.readLine()).startsWith("+OK");
            }
            c.send("QUIT");
            assertThat(c.readLine()).startsWith("+OK");
        }
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            c.send("STAT");
            assertThat(c.readLine()).startsWith("+OK 0 0");
        }
    }
}
