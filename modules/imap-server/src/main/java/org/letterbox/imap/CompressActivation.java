package org.letterbox.imap;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.message.request.CompressRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.imapserver.netty.NettyConstants;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.JZlibEncoder;
import io.netty.handler.codec.compression.ZlibWrapper;

import reactor.core.publisher.Mono;

/**
 * {@code COMPRESS DEFLATE} (RFC 4978). The tagged OK is written uncompressed, then, in the same event-loop task and
 * with reading paused, the pipeline gets the compressing encoder and our {@link DeflateInflater}; the client's next
 * byte is compressed and meets the inflater, never a handler it was not meant for.
 */
final class CompressActivation {

    /** The attribute James's own COMPRESS processor sets; kept so both agree that compression is on. */
    private static final String ACTIVE = "COMPRESSED";
    private static final String DEFLATE = "DEFLATE";

    private final StatusResponseFactory replies = new UnpooledStatusResponseFactory();

    Mono<Void> process(CompressRequest request, Responder responder, ImapSession session) {
        return Mono.defer(() -> {
            Channel channel = session.getAttribute(StoreBoundImapProcessor.CHANNEL) instanceof Channel c ? c : null;
            if (session.getState() == ImapSessionState.NON_AUTHENTICATED) {
                // RFC 4978 §3: valid only once authenticated; a peer that has not logged in costs us no inflater
                return refuse(responder, replies.taggedBad(request.getTag(), request.getCommand(),
                    new HumanReadableText("org.letterbox.imap.compressbeforelogin", "only after login")));
            }
            if (!session.isCompressionSupported() || channel == null) {
                return refuse(responder, replies.taggedBad(request.getTag(), request.getCommand(), HumanReadableText.UNKNOWN_COMMAND));
            } else if (session.getAttribute(ACTIVE) != null) {
                return refuse(responder, replies.taggedNo(request.getTag(), request.getCommand(), HumanReadableText.COMPRESS_ALREADY_ACTIVE));
            } else if (!DEFLATE.equalsIgnoreCase(request.getAlgorithm())) {
                return refuse(responder, replies.taggedBad(request.getTag(), request.getCommand(), HumanReadableText.ILLEGAL_ARGUMENTS));
            }
            session.setAttribute(ACTIVE, true);
            // Completes only once the encoder is in place: the channel handler flushes the command's composer when
            // this completes, and a flush racing with the one below could send the OK twice, once compressed.
            return Mono.<Void>create(done -> channel.eventLoop().execute(() -> {
                try {
                    channel.config().setAutoRead(false);
                    responder.respond(replies.taggedOk(request.getTag(), request.getCommand(), HumanReadableText.DEFLATE_ACTIVE));
                    responder.flush();
                    install(channel.pipeline());
                    channel.config().setAutoRead(true);
                    done.success();
                } catch (RuntimeException e) {
                    done.error(e);
                }
            }));
        });
    }

    private static Mono<Void> refuse(Responder responder, StatusResponse reply) {
        return Mono.fromRunnable(() -> {
            responder.respond(reply);
            responder.flush();
        });
    }

    /** Below TLS when there is TLS (it compresses the plain text), else at the very start of the pipeline. */
    private static void install(ChannelPipeline pipeline) {
        JZlibEncoder encoder = new JZlibEncoder(ZlibWrapper.NONE, 5);
        DeflateInflater inflater = new DeflateInflater();
        if (pipeline.get(NettyConstants.SSL_HANDLER) == null) {
            pipeline.addFirst(DeflateInflater.NAME, inflater);
            pipeline.addFirst(NettyConstants.ZLIB_ENCODER, encoder);
        } else {
            pipeline.addAfter(NettyConstants.SSL_HANDLER, DeflateInflater.NAME, inflater);
            pipeline.addAfter(NettyConstants.SSL_HANDLER, NettyConstants.ZLIB_ENCODER, encoder);
        }
    }
}
