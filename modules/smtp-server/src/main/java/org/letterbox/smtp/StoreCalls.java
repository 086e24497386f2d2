package org.letterbox.smtp;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/** Runs blocking store work on the store's own executor, so that no JDBC call is made on a Netty thread. */
final class StoreCalls {

    private final ExecutorService executor;

    StoreCalls(ExecutorService executor) {
        this.executor = executor;
    }

    <T> T call(Callable<T> work) throws Exception {
        try {
            return executor.submit(work).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
    }
}
