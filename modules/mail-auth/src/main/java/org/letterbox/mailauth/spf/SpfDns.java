package org.letterbox.mailauth.spf;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.exceptions.TimeoutException;
import org.letterbox.dns.Dns;
import org.letterbox.dns.DnsAnswer;
import org.xbill.DNS.Type;

/**
 * jSPF's questions answered by our {@link Dns}, with its cache: a domain that publishes no SPF record is asked once
 * per minute, not once per message (jSPF's own lookups keep no negative answers from resolvers that send no SOA, and
 * each one lost on the way cost a full DNS timeout). No answer is a {@link TimeoutException}, which jSPF turns into
 * {@code temperror}; no record is {@code null}, as jSPF expects.
 */
final class SpfDns implements DNSService {

    private final Dns dns;
    private final List<String> receivingHost;
    private volatile int recordLimit = 50;

    SpfDns(Dns dns, String receivingHost) {
        this.dns = dns;
        this.receivingHost = List.of(receivingHost);
    }

    @Override
    public List<String> getRecords(DNSRequest request) throws TimeoutException {
        int type = switch (request.getRecordType()) {
            case DNSRequest.A -> Type.A;
            case DNSRequest.AAAA -> Type.AAAA;
            case DNSRequest.MX -> Type.MX;
            case DNSRequest.PTR -> Type.PTR;
            // RFC 7208 §3.1: the SPF record type is gone; a question for it is a question for TXT
            case DNSRequest.TXT, DNSRequest.SPF -> Type.TXT;
            default -> -1;
        };
        if (type < 0) {
            return null;
        }
        DnsAnswer<String> answer = dns.strings(request.getHostname(), type);
        if (answer instanceof DnsAnswer.TemporaryFailure<String> failure) {
            throw new TimeoutException(failure.reason());
        }
        if (answer instanceof DnsAnswer.Found<String> found) {
            List<String> values = found.values();
            // jSPF edits the lists it is given
            return new java.util.ArrayList<>(values.size() > recordLimit ? values.subList(0, recordLimit) : values);
        }
        return null;
    }

    @Override
    public CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
        try {
            return CompletableFuture.completedFuture(getRecords(request));
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<String> getLocalDomainNames() {
        return receivingHost;
    }

    @Override
    public void setTimeOut(int seconds) {
        // the Dns given has its own
    }

    @Override
    public int getRecordLimit() {
        return recordLimit;
    }

    @Override
    public void setRecordLimit(int limit) {
        recordLimit = limit;
    }
}
