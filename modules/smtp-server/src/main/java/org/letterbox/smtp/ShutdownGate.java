package org.letterbox.smtp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Graceful shutdown of one SMTP listener: once {@link #drain} starts, new connections and new transactions get
 * {@code 421 4.3.2}, and transactions already under way (MAIL accepted, not yet answered after DATA) may finish.
 */
final class ShutdownGate implements MailHook {

    private static final Logger LOGGER = LoggerFactory.getLogger(ShutdownGate.class);

    private final AtomicBoolean draining = new AtomicBoolean();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final String hostname;

    ShutdownGate(String hostname) {
        this.hostname = hostname;
    }

    String refusal() {
        return "421 4.3.2 " + hostname + " Service shutting down, try again later";
    }

    boolean isDraining() {
        return draining.get();
    }

    void track(Channel channel) {
        connections.add(channel);
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (!draining.get()) {
            return HookResult.DECLINED;
        }
        return HookResult.builder().hookReturnCode(HookReturnCode.disconnected(HookReturnCode.Action.DENYSOFT))
            .smtpReturnCode(SmtpReplies.SERVICE_NOT_AVAILABLE).smtpDescription("4.3.2 " + hostname + " Service shutting down, try again later").build();
    }

    /** Refuses new work, then waits up to {@code timeout} for the transactions under way; returns how many remain. */
    int drain(Duration timeout) throws InterruptedException {
        draining.set(true);
        long deadline = System.nanoTime() + timeout.toNanos();
        int busy = transactionsUnderWay();
        if (busy > 0) {
            LOGGER.info("waiting up to {} s for {} SMTP transaction(s) to finish", timeout.toSeconds(), busy);
        }
        while (busy > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            busy = transactionsUnderWay();
        }
        return busy;
    }

    private int transactionsUnderWay() {
        int busy = 0;
        for (Channel channel : connections) {
            Object session = channel.attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
            if (channel.isActive() && session instanceof SMTPSession smtp
                && smtp.getAttachment(SMTPSession.SENDER, ProtocolSession.State.Transaction).isPresent()) {
                busy++;
            }
        }
        return busy;
    }
}
