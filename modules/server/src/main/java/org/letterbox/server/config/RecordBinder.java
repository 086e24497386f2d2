package org.letterbox.server.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes a configuration record from a {@link YamlTree}: each key of a section is the record component of that name,
 * and the record's canonical constructor, which applies defaults and checks ranges, gets the values. A key without
 * a component, or a value of the wrong kind, is a {@link Failure} that names the key. Values are String, Integer,
 * Long, Boolean, an enum (spelled as its {@code toString()}), a nested record, or a List or String-keyed Map of them.
 */
final class RecordBinder {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?[0-9]+");

    /** Why a key's value cannot be used; {@code path} is the dotted key, empty for the whole file. */
    static final class Failure extends RuntimeException {
        final String path;
        final boolean unknownKey;

        Failure(String path, String reason, boolean unknownKey) {
            super(reason);
            this.path = path;
            this.unknownKey = unknownKey;
        }
    }

    private RecordBinder() {
    }

    /** {@code section} as a {@code type}; a missing key is passed as null, so its record applies the default. */
    static <T extends Record> T bind(Class<T> type, Map<String, Object> section) {
        return type.cast(record(type, section, ""));
    }

    private static Object value(Type type, Object value, String path) {
        if (value == null || value instanceof YamlTree.Scalar scalar && scalar.text() == null) {
            return null;
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() == List.class) {
            if (!(value instanceof List<?> list)) {
                throw new Failure(path, "expected a list, such as [a, b]" + at(value), false);
            }
            List<Object> bound = new ArrayList<>();
            for (Object item : list) {
                String itemPath = path + "[" + bound.size() + "]";
                Object boundItem = value(generic.getActualTypeArguments()[0], item, itemPath);
                if (boundItem == null) {
                    throw new Failure(itemPath, "an empty item in a list" + at(item), false);
                }
                bound.add(boundItem);
            }
            return bound;
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() == Map.class
            && generic.getActualTypeArguments()[0] == String.class) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new Failure(path, "expected a set of keys" + at(value), false);
            }
            Map<String, Object> bound = new LinkedHashMap<>();
            map.forEach((key, item) -> bound.put((String) key, value(generic.getActualTypeArguments()[1], item, path + "." + key)));
            return bound;
        }
        if (type instanceof Class<?> kind && kind.isRecord()) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new Failure(path, "expected a set of keys, such as { port: 25 }" + at(value), false);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> section = (Map<String, Object>) map;
            return record(kind, section, path);
        }
        if (!(value instanceof YamlTree.Scalar scalar)) {
            throw new Failure(path, "expected a single value, not " + (value instanceof List ? "a list" : "a set of keys"), false);
        }
        return scalar(type, scalar, path);
    }

    private static Object scalar(Type type, YamlTree.Scalar scalar, String path) {
        String text = scalar.text();
        if (type == String.class) {
            return text;
        }
        if (type == Integer.class || type == Long.class) {
            String number = text.trim();
            if (!WHOLE_NUMBER.matcher(number).matches()) {
                throw new Failure(path, "expected a whole number, not '" + text + "'" + at(scalar), false);
            }
            try {
                return type == Integer.class ? (Object) Integer.valueOf(number) : (Object) Long.valueOf(number);
            } catch (NumberFormatException e) {
                throw new Failure(path, "'" + text + "' is too large" + at(scalar), false);
            }
        }
        if (type == Boolean.class) {
            if (text.trim().equalsIgnoreCase("true") || text.trim().equalsIgnoreCase("false")) {
                return Boolean.valueOf(text.trim());
            }
            throw new Failure(path, "expected true or false, not '" + text + "'" + at(scalar), false);
        }
        if (type instanceof Class<?> kind && kind.isEnum()) {
            Object[] constants = kind.getEnumConstants();
            for (Object constant : constants) {
                if (constant.toString().equals(text.trim())) {
                    return constant;
                }
            }
            throw new Failure(path, "expected one of " + String.join(", ", Arrays.stream(constants).map(Object::toString).toList())
                + ", not '" + text + "'" + at(scalar), false);
        }
        throw new IllegalStateException("a configuration key of type " + type + " cannot be read: " + path);
    }

    private static Object record(Class<?> type, Map<String, Object> section, String path) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] arguments = new Object[components.length];
        for (Map.Entry<String, Object> entry : section.entrySet()) {
            String keyPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            int index = indexOf(components, entry.getKey());
            if (index < 0) {
                throw new Failure(keyPath, "unknown key", true);
            }
            arguments[index] = value(components[index].getGenericType(), entry.getValue(), keyPath);
        }
        Constructor<?> canonical;
        try {
            canonical = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new));
            canonical.setAccessible(true);
            return canonical.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw new Failure(path, refused.getMessage(), false);
            }
            // anything else a record's checks throw still means this section cannot be used, as Jackson said too
            throw new Failure(path, "cannot be used (" + e.getCause() + ")", false);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make " + type.getName(), e);
        }
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String at(Object value) {
        return value instanceof YamlTree.Scalar scalar && scalar.origin() != null ? " (" + scalar.origin() + ")" : "";
    }
}
