package dev.trainstream.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile read into instructions (continuations joined), with global ARG defaults and stage base images resolved. */
record Dockerfile(List<Instruction> instructions) {

    /** One instruction: keyword (upper case) and its arguments. */
    record Instruction(String keyword, String arguments) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    static Dockerfile read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String joined = current.toString().strip();
            int space = joined.indexOf(' ');
            instructions.add(new Instruction(joined.substring(0, space).toUpperCase(java.util.Locale.ROOT), joined.substring(space + 1).strip()));
            current.setLength(0);
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    /** Defaults of the ARGs declared before the first FROM (the ones FROM lines may use). */
    Map<String, String> globalArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                break;
            }
            if (instruction.keyword().equals("ARG") && instruction.arguments().contains("=")) {
                String[] pair = instruction.arguments().split("=", 2);
                args.put(pair[0], pair[1]);
            }
        }
        return args;
    }

    /** Base image of every stage, ARGs substituted, in order; names of earlier stages stay as written. */
    List<String> baseImages() {
        List<String> images = new ArrayList<>();
        Map<String, String> args = globalArgs();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                String image = instruction.arguments().replaceAll("(?i)--platform=\\S+\\s+", "").split("\\s+")[0];
                Matcher matcher = VARIABLE.matcher(image);
                images.add(matcher.replaceAll(m -> Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group()))));
            }
        }
        return images;
    }

    /** Stage names declared with "FROM image AS name". */
    List<String> stageNames() {
        List<String> names = new ArrayList<>();
        for (Instruction instruction : instructions) {
            String[] words = instruction.arguments().split("\\s+");
            if (instruction.keyword().equals("FROM") && words.length >= 3 && words[words.length - 2].equalsIgnoreCase("AS")) {
                names.add(words[words.length - 1]);
            }
        }
        return names;
    }

    /** Instructions of the final stage (what the shipped image is made of). */
    List<Instruction> finalStage() {
        int last = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return instructions.subList(last, instructions.size());
    }

    List<String> all(List<Instruction> scope, String keyword) {
        return scope.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** Base images that are neither an earlier stage nor pinned to a release. */
    List<String> unpinnedBaseImages() {
        List<String> stages = stageNames();
        return baseImages().stream().filter(image -> !stages.contains(image) && !ImageReference.parse(image).isPinned()).toList();
    }
}
