package dev.creamery.cdarts;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import dev.creamery.api.Architecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A DARTS cell pair as the official code writes it: {@code Genotype(normal=[[('sep_conv_3x3', 0),
 * ('sep_conv_3x3', 1)], ...], normal_concat=range(2, 6), reduce=[...], reduce_concat=range(2, 6))}.
 * Each cell has intermediate nodes of two edges each; an edge applies an operation to an earlier
 * state (0 and 1 are the cell's inputs, 2 onwards the nodes), and the cell's output concatenates the
 * states its {@code concat} lists.
 *
 * @param normal the normal cell's nodes
 * @param normalConcat the states the normal cell concatenates
 * @param reduce the reduction cell's nodes
 * @param reduceConcat the states the reduction cell concatenates
 */
public record Genotype(List<List<Edge>> normal, List<Integer> normalConcat, List<List<Edge>> reduce, List<Integer> reduceConcat) {
    /** The operations of the space, in the official {@code PRIMITIVES} order ({@code none} last). */
    public static final List<String> PRIMITIVES = List.of("max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5",
            "dil_conv_3x3", "dil_conv_5x5", "none");

    /**
     * One input of a node.
     *
     * @param op an operation of {@link #PRIMITIVES}
     * @param input the state it reads
     */
    public record Edge(String op, int input) {}

    /** Checks every edge reads an earlier state with an operation of the space, and every concat a state. */
    public Genotype {
        normal = copy(normal, "normal");
        reduce = copy(reduce, "reduce");
        normalConcat = List.copyOf(normalConcat);
        reduceConcat = List.copyOf(reduceConcat);
        checkConcat(normalConcat, normal.size(), "normal_concat");
        checkConcat(reduceConcat, reduce.size(), "reduce_concat");
    }

    private static List<List<Edge>> copy(List<List<Edge>> nodes, String cell) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException(cell + ": a cell needs at least one node");
        }
        for (int n = 0; n < nodes.size(); n++) {
            for (Edge edge : nodes.get(n)) {
                if (!PRIMITIVES.contains(edge.op())) {
                    throw new IllegalArgumentException(cell + " node " + n + ": '" + edge.op() + "' is not an operation of the space; "
                            + "use one of " + String.join(", ", PRIMITIVES));
                }
                if (edge.input() < 0 || edge.input() >= n + 2) {
                    throw new IllegalArgumentException(cell + " node " + n + ": input " + edge.input() + " is not an earlier state; "
                            + "node " + n + " reads states 0 to " + (n + 1) + " (0 and 1 the cell's inputs, then the nodes)");
                }
            }
        }
        return nodes.stream().map(List::copyOf).toList();
    }

    private static void checkConcat(List<Integer> concat, int nodes, String name) {
        if (concat.isEmpty() || concat.stream().anyMatch(s -> s < 0 || s >= nodes + 2)) {
            throw new IllegalArgumentException(name + " " + concat + " must list states 0 to " + (nodes + 1));
        }
    }

    /**
     * Reads the official form. Spacing is free, and a concat may be {@code range(a, b)} or a list.
     *
     * @param text a genotype
     * @return the genotype
     * @throws IllegalArgumentException saying where the text departs from the form and what is expected there
     */
    public static Genotype parse(String text) {
        Reader reader = new Reader(text);
        reader.expect("Genotype");
        reader.expect("(");
        reader.key("normal");
        List<List<Edge>> normal = reader.nodes();
        reader.expect(",");
        reader.key("normal_concat");
        List<Integer> normalConcat = reader.concat();
        reader.expect(",");
        reader.key("reduce");
        List<List<Edge>> reduce = reader.nodes();
        reader.expect(",");
        reader.key("reduce_concat");
        List<Integer> reduceConcat = reader.concat();
        reader.expect(")");
        reader.end();
        try {
            return new Genotype(normal, normalConcat, reduce, reduceConcat);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("genotype: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an official cell file ({@code CDARTS/cells/*.json}): the genotype of each layer, keyed by
     * the layer's number. The evaluation networks here give every layer one genotype, as the
     * published files and the search write them.
     *
     * @param file the file
     * @return its genotype
     * @throws IllegalArgumentException if the file cannot be read, holds no genotype, or holds
     *     different ones for different layers
     */
    public static Genotype readCellFile(Path file) {
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setAllowMissing(false));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(file + ": not a readable cell file (" + e.getMessage() + "); a cell file is "
                    + "{\"0\": \"Genotype(...)\", \"1\": ..., \"2\": ...}", e);
        }
        Map<String, Genotype> layers = new TreeMap<>();
        for (String layer : config.root().keySet()) {
            try {
                layers.put(layer, parse(config.getString(ConfigUtil.joinPath(layer))));
            } catch (ConfigException | IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ", layer \"" + layer + "\": " + e.getMessage(), e);
            }
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no genotype; a cell file is {\"0\": \"Genotype(...)\", ...}");
        }
        if (new HashSet<>(layers.values()).size() > 1) {
            throw new IllegalArgumentException(file + " gives its layers different genotypes; the cdarts family builds one genotype "
                    + "for all layers, as the published cells have");
        }
        return layers.values().iterator().next();
    }

    /** @return the official form, with {@code range(a, b)} for a concat of consecutive states */
    @Override
    public String toString() {
        return "Genotype(normal=" + nodes(normal) + ", normal_concat=" + concat(normalConcat) + ", reduce=" + nodes(reduce)
                + ", reduce_concat=" + concat(reduceConcat) + ")";
    }

    private static String nodes(List<List<Edge>> nodes) {
        return nodes.stream().map(node -> node.stream().map(e -> "('" + e.op() + "', " + e.input() + ")")
                .collect(Collectors.joining(", ", "[", "]"))).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String concat(List<Integer> concat) {
        int first = concat.get(0);
        boolean consecutive = IntStream.range(0, concat.size()).allMatch(i -> concat.get(i) == first + i);
        return consecutive ? String.format(Locale.ROOT, "range(%d, %d)", first, first + concat.size())
                : concat.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * @return the genotype as architecture dimensions: each cell's edges as {@code op:input} in node
     *     order, two per node, and its concat
     */
    public Architecture.Builder toArchitecture() {
        return Architecture.builder().put("normal", edges(normal)).put("normal_concat", normalConcat).put("reduce", edges(reduce))
                .put("reduce_concat", reduceConcat);
    }

    /**
     * @param architecture dimensions as {@link #toArchitecture} writes them
     * @return the genotype
     */
    public static Genotype of(Architecture architecture) {
        return new Genotype(nodes(architecture.getList("normal"), "normal"), ints(architecture.getIntList("normal_concat")),
                nodes(architecture.getList("reduce"), "reduce"), ints(architecture.getIntList("reduce_concat")));
    }

    private static List<String> edges(List<List<Edge>> nodes) {
        List<String> edges = new ArrayList<>();
        for (List<Edge> node : nodes) {
            if (node.size() != 2) {
                throw new IllegalArgumentException("a node of the architecture form has two edges, got " + node.size());
            }
            node.forEach(e -> edges.add(e.op() + ":" + e.input()));
        }
        return edges;
    }

    private static List<List<Edge>> nodes(List<Object> edges, String cell) {
        if (edges.size() % 2 != 0) {
            throw new IllegalArgumentException(cell + ": two edges per node, got " + edges.size() + " edges");
        }
        List<List<Edge>> nodes = new ArrayList<>();
        for (int i = 0; i < edges.size(); i += 2) {
            nodes.add(List.of(edge(edges.get(i), cell), edge(edges.get(i + 1), cell)));
        }
        return nodes;
    }

    private static Edge edge(Object value, String cell) {
        String text = String.valueOf(value);
        int colon = text.lastIndexOf(':');
        try {
            return new Edge(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(cell + ": an edge is op:input, e.g. sep_conv_3x3:0, got '" + text + "'", e);
        }
    }

    private static List<Integer> ints(int[] values) {
        return IntStream.of(values).boxed().toList();
    }

    /** A cursor over the official form that says where it stopped and what it expected. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean next(String token) {
            skipSpace();
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        void expect(String token) {
            if (!next(token)) {
                throw error("'" + token + "'");
            }
        }

        /** A field's name and its {@code =}. */
        void key(String name) {
            expect(name);
            expect("=");
        }

        void end() {
            skipSpace();
            if (at != text.length()) {
                throw error("the end of the genotype");
            }
        }

        IllegalArgumentException error(String expected) {
            String rest = text.substring(Math.min(at, text.length()));
            String found = rest.isEmpty() ? "the end" : "'" + (rest.length() > 20 ? rest.substring(0, 20) + "..." : rest) + "'";
            return new IllegalArgumentException("genotype: expected " + expected + " at character " + (at + 1) + ", found " + found
                    + "; the form is Genotype(normal=[[('op', input), ('op', input)], ...], normal_concat=range(2, 6), reduce=[...], "
                    + "reduce_concat=range(2, 6))");
        }

        List<List<Edge>> nodes() {
            expect("[");
            List<List<Edge>> nodes = new ArrayList<>();
            do {
                expect("[");
                List<Edge> node = new ArrayList<>();
                do {
                    node.add(edge());
                } while (next(","));
                expect("]");
                nodes.add(node);
            } while (next(","));
            expect("]");
            return nodes;
        }

        private Edge edge() {
            expect("(");
            skipSpace();
            char quote = at < text.length() ? text.charAt(at) : 0;
            if (quote != '\'' && quote != '"') {
                throw error("an operation name in quotes");
            }
            int close = text.indexOf(quote, at + 1);
            if (close < 0) {
                throw error("a closing quote");
            }
            String op = text.substring(at + 1, close);
            at = close + 1;
            expect(",");
            int input = integer();
            expect(")");
            return new Edge(op, input);
        }

        private int integer() {
            skipSpace();
            int start = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw error("a state number");
            }
            return Integer.parseInt(text.substring(start, at));
        }

        List<Integer> concat() {
            if (next("range")) {
                expect("(");
                int from = integer();
                expect(",");
                int to = integer();
                expect(")");
                return IntStream.range(from, to).boxed().toList();
            }
            expect("[");
            List<Integer> states = new ArrayList<>();
            do {
                states.add(integer());
            } while (next(","));
            expect("]");
            return states;
        }
    }
}
