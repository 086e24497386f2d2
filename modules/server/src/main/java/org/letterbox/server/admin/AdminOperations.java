package org.letterbox.server.admin;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Maps an operation name and its JSON arguments to a call on {@link Admin}: the server side of {@link RemoteAdmin}. */
final class AdminOperations {

    private AdminOperations() {
    }

    static Object dispatch(Admin admin, String operation, JsonNode args) {
        switch (operation) {
            case "ping" -> {
                return "pong";
            }
            case "addDomain" -> admin.addDomain(text(args, "domain"));
            case "domains" -> {
                return admin.domains();
            }
            case "removeDomain" -> admin.removeDomain(text(args, "domain"));
            case "addUser" -> admin.addUser(text(args, "address"), text(args, "password"));
            case "users" -> {
                return admin.users();
            }
            case "changePassword" -> admin.changePassword(text(args, "address"), text(args, "password"));
            case "setAnyFrom" -> admin.setAnyFrom(text(args, "address"), args.path("allowed").asBoolean(false));
            case "removeUser" -> admin.removeUser(text(args, "address"));
            case "quota" -> {
                return admin.quota(text(args, "address"));
            }
            case "setQuota" -> admin.setQuota(text(args, "address"), optionalLong(args, "maxBytes"), optionalLong(args, "maxMessages"));
            case "addAlias" -> admin.addAlias(text(args, "source"), text(args, "target"));
            case "aliases" -> {
                return admin.aliases();
            }
            case "removeAlias" -> admin.removeAlias(text(args, "source"), text(args, "target"));
            case "mailboxes" -> {
                return admin.mailboxes(text(args, "address"));
            }
            case "queue" -> {
                return admin.queue();
            }
            case "status" -> {
                return admin.status();
            }
            case "importMessages" -> {
                List<Admin.TransferMessage> messages = new ArrayList<>();
                for (JsonNode message : args.path("messages")) {
                    messages.add(AdminEndpoint.JSON.convertValue(message, Admin.TransferMessage.class));
                }
                return admin.importMessages(text(args, "address"), text(args, "mailbox"), messages);
            }
            case "exportMessages" -> {
                return admin.exportMessages(text(args, "address"), text(args, "mailbox"), args.path("afterUid").asLong(0),
                    args.path("limit").asInt(100));
            }
            default -> throw new AdminException("unknown admin operation: " + operation);
        }
        return null;
    }

    private static String text(JsonNode args, String name) {
        JsonNode value = args.get(name);
        if (value == null || !value.isTextual()) {
            throw new AdminException("missing argument: " + name);
        }
        return value.asText();
    }

    private static Long optionalLong(JsonNode args, String name) {
        JsonNode value = args.get(name);
        return value == null || value.isNull() ? null : value.asLong();
    }
}
