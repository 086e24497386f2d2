package org.letterbox.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A YAML document as plain values: a section is a {@code Map<String, Object>} in the file's order, a list a
 * {@code List<Object>}, and every value a {@link Scalar} that keeps the text as written, so that {@code no} stays
 * a word and {@code 0755} stays as written until the key it belongs to says what it is. Only SnakeYAML's parser
 * and composer run: no object is built from a tag.
 */
final class YamlTree {

    /**
     * A value as written; {@code text} is null for an empty value, {@code ~} or {@code null} written plainly.
     *
     * @param origin where it came from, for messages: {@code line 12} or an environment variable's name
     */
    record Scalar(String text, String origin) {
    }

    /** The file cannot be read as YAML, or repeats a key; the message says where. */
    static final class SyntaxException extends RuntimeException {
        SyntaxException(String message) {
            super(message);
        }
    }

    private YamlTree() {
    }

    /** The document in {@code file}: its top-level section, empty when the file holds no document. */
    static Map<String, Object> read(Path file) throws IOException {
        Node root;
        try (Reader reader = Files.newBufferedReader(file)) {
            // the parser and composer alone: org.yaml.snakeyaml.Yaml would also make its object constructor and
            // dumper, whose logger sets up java.util.logging, a cost of every start for nothing
            LoaderOptions options = new LoaderOptions();
            root = new Composer(new ParserImpl(new StreamReader(reader), options), new Resolver(), options).getSingleNode();
        } catch (MarkedYAMLException e) {
            throw new SyntaxException("line " + (e.getProblemMark().getLine() + 1) + ", column "
                + (e.getProblemMark().getColumn() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new SyntaxException(e.getMessage());
        }
        if (root == null) {
            return new LinkedHashMap<>();
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new SyntaxException("line " + line(root) + ": the file must be a set of keys, such as 'hostname: mail.example.org'");
        }
        return section(mapping, "");
    }

    private static Object value(Node node, String path) {
        if (node instanceof MappingNode mapping) {
            return section(mapping, path);
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                list.add(value(item, path + "[" + list.size() + "]"));
            }
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        boolean plainNull = scalar.getTag().equals(Tag.NULL);
        return new Scalar(plainNull ? null : scalar.getValue(), "line " + line(node));
    }

    private static Map<String, Object> section(MappingNode mapping, String path) {
        Map<String, Object> section = new LinkedHashMap<>();
        for (NodeTuple entry : mapping.getValue()) {
            if (!(entry.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new SyntaxException("line " + line(entry.getKeyNode()) + ": a key must be a name");
            }
            String key = keyNode.getValue();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            if (section.containsKey(key)) {
                throw new SyntaxException("line " + line(keyNode) + ": '" + keyPath + "' is given twice");
            }
            section.put(key, value(entry.getValueNode(), keyPath));
        }
        return section;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
