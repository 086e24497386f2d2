package org.letterbox.store.jdbc;

import java.sql.SQLException;

/** The store was written by a newer Letterbox than the one running. */
public class SchemaTooNewException extends SQLException {
    public SchemaTooNewException(int found, int supported) {
        super("the store has schema version " + found + " but this Letterbox supports at most version " + supported
            + "; it was written by a newer Letterbox: upgrade Letterbox, or restore a backup taken before that upgrade");
    }
}
