package org.letterbox.store.mailbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.SubscriptionException;
import org.apache.james.mailbox.store.user.SubscriptionMapper;
import org.apache.james.mailbox.store.user.model.Subscription;
import org.letterbox.store.jdbc.Database;
import org.letterbox.store.jdbc.StoreException;

/** Subscriptions, in {@code subscriptions}. */
public final class JdbcSubscriptionMapper implements SubscriptionMapper {
    private final Database db;

    public JdbcSubscriptionMapper(Database db) {
        this.db = db;
    }

    @Override
    public void save(Subscription subscription) throws SubscriptionException {
        try {
            db.write(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM subscriptions WHERE username = ? AND mailbox = ?");
                     PreparedStatement insert = c.prepareStatement("INSERT INTO subscriptions (username, mailbox) VALUES (?, ?)")) {
                    delete.setString(1, subscription.getUser().asString());
                    delete.setString(2, subscription.getMailbox());
                    delete.executeUpdate();
                    insert.setString(1, subscription.getUser().asString());
                    insert.setString(2, subscription.getMailbox());
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (StoreException e) {
            throw new SubscriptionException(e);
        }
    }

    @Override
    public List<Subscription> findSubscriptionsForUser(Username user) throws SubscriptionException {
        try {
            return db.read(c -> {
                try (PreparedStatement select = c.prepareStatement("SELECT mailbox FROM subscriptions WHERE username = ? ORDER BY mailbox")) {
                    select.setString(1, user.asString());
                    List<Subscription> result = new ArrayList<>();
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            result.add(new Subscription(user, rs.getString(1)));
                        }
                    }
                    return result;
                }
            });
        } catch (StoreException e) {
            throw new SubscriptionException(e);
        }
    }

    @Override
    public void delete(Subscription subscription) throws SubscriptionException {
        try {
            db.write(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM subscriptions WHERE username = ? AND mailbox = ?")) {
                    delete.setString(1, subscription.getUser().asString());
                    delete.setString(2, subscription.getMailbox());
                    return delete.executeUpdate();
                }
            });
        } catch (StoreException e) {
            throw new SubscriptionException(e);
        }
    }
}
