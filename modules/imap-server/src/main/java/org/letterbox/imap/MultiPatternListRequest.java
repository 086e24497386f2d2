package org.letterbox.imap;

import java.util.List;

import org.apache.james.imap.message.request.ListRequest;

/** {@code LIST ref (pattern1 pattern2 ...)} (RFC 5258 §3): a LIST with every option of the original, per pattern. */
final class MultiPatternListRequest extends ListRequest {

    private final List<String> patterns;

    MultiPatternListRequest(ListRequest parsed, List<String> patterns) {
        super(parsed.getCommand(), parsed.getBaseReferenceName(), patterns.get(0), parsed.getTag(),
            parsed.getSelectOptions(), parsed.getReturnOptions(), parsed.getStatusDataItems());
        this.patterns = List.copyOf(patterns);
    }

    List<String> patterns() {
        return patterns;
    }

    /** The single-pattern LIST James answers. */
    ListRequest forPattern(String pattern) {
        return new ListRequest(getCommand(), getBaseReferenceName(), pattern, getTag(), getSelectOptions(),
            getReturnOptions(), getStatusDataItems());
    }
}
