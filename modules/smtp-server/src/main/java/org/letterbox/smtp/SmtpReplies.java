package org.letterbox.smtp;

import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/** The SMTP reply codes our hooks answer with (RFC 5321 §4.2.3, RFC 4954 §6), and how a hook result is made. */
final class SmtpReplies {

    static final String AUTHENTICATION_SUCCEEDED = "235";
    static final String OK = "250";
    static final String SERVICE_NOT_AVAILABLE = "421";
    static final String AUTHENTICATION_FAILED_TEMPORARILY = "454";
    static final String LOCAL_ERROR = "451";
    static final String INSUFFICIENT_STORAGE = "452";
    /** RFC 5321 §4.5.3.1.10: too many recipients is a 452, so that the client sends the rest later. */
    static final String TOO_MANY_RECIPIENTS = "452";
    static final String SYNTAX_ERROR = "500";
    static final String PARAMETER_SYNTAX_ERROR = "501";
    static final String AUTHENTICATION_REQUIRED = "530";
    static final String AUTHENTICATION_FAILED = "535";
    static final String ENCRYPTION_REQUIRED = "538";
    static final String MAILBOX_UNAVAILABLE = "550";
    static final String EXCEEDED_STORAGE = "552";
    static final String MAILBOX_NAME_NOT_ALLOWED = "553";

    private SmtpReplies() {
    }

    /** A hook result with its reply code and text (the text starts with the enhanced status code). */
    static HookResult reply(HookReturnCode action, String code, String text) {
        return HookResult.builder().hookReturnCode(action).smtpReturnCode(code).smtpDescription(text).build();
    }
}
