package dev.trainstream.deploy.validation;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Loads YAML strictly (duplicate keys are errors) into plain maps and lists, keeping Compose's !reset/!override tags. */
final class YamlDocuments {

    /** A value tagged {@code !reset} (Compose: drop what earlier files set) or {@code !override} (replace, do not merge). */
    record Tagged(String tag, Object value) {
        boolean isReset() {
            return "!reset".equals(tag);
        }
    }

    private YamlDocuments() {
    }

    static List<Object> loadAll(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            List<Object> documents = new ArrayList<>();
            for (Object document : yaml().loadAll(reader)) {
                if (document != null) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<Object> loadAll(String text) {
        List<Object> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(text)) {
            if (document != null) {
                documents.add(document);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> loadMap(Path file) {
        List<Object> documents = loadAll(file);
        if (documents.size() != 1 || !(documents.get(0) instanceof Map)) {
            throw new IllegalArgumentException(file + " must hold exactly one YAML mapping, found " + documents.size() + " documents");
        }
        return (Map<String, Object>) documents.get(0);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(200);
        return new Yaml(new ComposeTagConstructor(options));
    }

    /** SafeConstructor plus the two Compose merge tags; any other unknown tag still fails. */
    private static final class ComposeTagConstructor extends SafeConstructor {
        ComposeTagConstructor(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(new Tag("!reset"), new TaggedConstruct("!reset"));
            this.yamlConstructors.put(new Tag("!override"), new TaggedConstruct("!override"));
        }

        private final class TaggedConstruct extends AbstractConstruct {
            private final String tag;

            TaggedConstruct(String tag) {
                this.tag = tag;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof MappingNode mapping) {
                    value = constructMapping(mapping);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructScalar((ScalarNode) node);
                }
                return new Tagged(tag, value);
            }
        }
    }
}
