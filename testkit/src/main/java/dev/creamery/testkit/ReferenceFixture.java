package dev.creamery.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

/**
 * An official model's reference fixture: its {@code state_dict} spec, the weights rebuilt by the
 * fixtures' integer-hash formula, the fixed input batch, and the official logits for them.
 *
 * <p>The formula: {@code u(seed, i)} hashes element index {@code i} to [-1, 1) with
 * {@code h = (i * 0x9E3779B1 + seed) mod 2^32; h ^= h >> 16; h *= 0x85EBCA6B; h ^= h >> 13;
 * h *= 0xC2B2AE35; h ^= h >> 16; u = h / 2^31 - 1}, seeded by the CRC-32 of the tensor name;
 * running variances are {@code 1 + 0.5u^2}, running means {@code 0.1u}, 1-d weights {@code 1 +
 * 0.1u}, biases {@code 0.05u}, tensors of rank 2 or more {@code u * sqrt(3 / fan_in)}, anything else
 * {@code 0.1u}; values are computed in double and rounded once to float. Integer buffers and derived
 * float buffers carry their exact values in the spec. The input is {@code 1.5 u(crc32("input"), i)}.
 *
 * <p>A fixture holds the official logits for one input. Further inputs (seeds {@code input-1},
 * {@code input-2}, ...), whose official logits were computed later with the official code, live next
 * to it in {@code <key>.inputs.json.gz}; {@link #inputs()} gives them all, so that a test checks more
 * than the one batch a re-implementation might have been tuned on. That file also holds the official
 * float64 logits of every input ({@code expected_logits_fp64}), the fixture's own included: its entry
 * of seed {@code input} carries them alone, the float32 logits and error of that input being the
 * fixture's.
 */
public final class ReferenceFixture {
    /** The seed of the fixture's own input. */
    public static final String OWN_SEED = "input";

    private final JsonObject spec;
    private final List<ReferenceInput> inputs;

    private ReferenceFixture(JsonObject spec, JsonObject extra, String extraResource) {
        this.spec = spec;
        List<ReferenceInput> all = new ArrayList<>();
        double[][] ownFloat64 = null;
        if (extra != null) {
            String extraKey = extra.get("key").getAsString();
            if (!extraKey.equals(key())) {
                throw new IllegalStateException(extraResource + " holds inputs of " + extraKey + ", not of " + key());
            }
            for (JsonElement element : extra.getAsJsonArray("inputs")) {
                JsonObject input = element.getAsJsonObject();
                String seed = input.get("seed").getAsString();
                Shape shape = shape(input.getAsJsonArray("shape"));
                double[][] float64 = input.has("expected_logits_fp64") ? float64Logits(input.getAsJsonArray("expected_logits_fp64")) : null;
                if (seed.equals(OWN_SEED)) {
                    // The fixture's own input: its float32 logits and error are the fixture's, only the float64 logits are here.
                    if (input.has("expected_logits") || !shape.equals(inputShape()) || float64 == null || ownFloat64 != null) {
                        throw new IllegalStateException(extraResource + ": the entry of seed " + OWN_SEED
                                + " must hold the float64 logits of the fixture's input alone, once, of its shape " + inputShape());
                    }
                    ownFloat64 = float64;
                } else {
                    all.add(new ReferenceInput(key(), seed, shape, logits(input.getAsJsonArray("expected_logits")),
                            input.get("max_abs_diff_fp32_vs_fp64").getAsDouble(), float64));
                }
            }
        }
        all.add(0, new ReferenceInput(key(), OWN_SEED, inputShape(), logits(spec.getAsJsonArray("expected_logits")), ownFloat32Error(spec),
                ownFloat64));
        this.inputs = List.copyOf(all);
    }

    /**
     * Reads a fixture from the test class path ({@code .json} or gzip-compressed {@code .json.gz}).
     *
     * @param resource the resource path, e.g. {@code /reference/tinyvit-5m.json.gz}
     * @return the fixture
     */
    public static ReferenceFixture load(String resource) {
        JsonObject spec = read(resource);
        if (spec == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        String extraResource = extraInputsOf(resource);
        return new ReferenceFixture(spec, read(extraResource), extraResource);
    }

    /**
     * @param resource a fixture resource, {@code <folder>/<key>.json} or {@code <folder>/<key>.json.gz}
     * @return the resource of its extra inputs, {@code <folder>/<key>.inputs.json.gz}
     */
    static String extraInputsOf(String resource) {
        String base = resource.endsWith(".json.gz") ? resource.substring(0, resource.length() - ".json.gz".length())
                : resource.substring(0, resource.length() - ".json".length());
        return base + ".inputs.json.gz";
    }

    /**
     * @param folder a class-path folder, e.g. {@code /reference}
     * @return the names of the files in it, sorted, over every class-path entry that has it
     */
    static SortedSet<String> resourcesIn(String folder) {
        String path = folder.startsWith("/") ? folder.substring(1) : folder;
        SortedSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> urls = ReferenceFixture.class.getClassLoader().getResources(path);
            while (urls.hasMoreElements()) {
                URI uri = urls.nextElement().toURI();
                if (uri.getScheme().equals("jar")) {
                    try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                        list(jar.getPath(path), names);
                    }
                } else {
                    list(Path.of(uri), names);
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the test resources in " + folder, e);
        }
        return names;
    }

    private static void list(Path dir, SortedSet<String> names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
        }
    }

    /** @return the resource's JSON object, or {@code null} if there is no such resource */
    private static JsonObject read(String resource) {
        InputStream raw = ReferenceFixture.class.getResourceAsStream(resource);
        if (raw == null) {
            return null;
        }
        try (InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /**
     * The fixture's own input first, then the extra ones, in file order: every batch a test should
     * run, each with the official logits and its own tolerance.
     *
     * @return the inputs
     */
    public List<ReferenceInput> inputs() {
        return inputs;
    }

    /** @return the fixture key, e.g. {@code tinyvit-5m} */
    public String key() {
        return spec.get("key").getAsString();
    }

    /** @return the whole spec, for model-specific fields ({@code config}, {@code subnet_params}, ...) */
    public JsonObject spec() {
        return spec;
    }

    /** @return the parameter count the official code reports ({@code params}) */
    public long params() {
        return spec.get("params").getAsLong();
    }

    /** @return the input batch shape */
    public Shape inputShape() {
        return shape(spec.getAsJsonArray("input_shape"));
    }

    /** @return the names of the official {@code state_dict}, in order */
    public List<String> tensorNames() {
        List<String> names = new ArrayList<>();
        for (JsonElement entry : spec.getAsJsonArray("state_dict")) {
            names.add(entry.getAsJsonObject().get("name").getAsString());
        }
        return names;
    }

    /**
     * @param manager owns the arrays
     * @return every tensor of the official {@code state_dict}, by official name, in order
     */
    public Map<String, NDArray> weights(NDManager manager) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (JsonElement element : spec.getAsJsonArray("state_dict")) {
            JsonObject entry = element.getAsJsonObject();
            String name = entry.get("name").getAsString();
            JsonArray dims = entry.getAsJsonArray("shape");
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).getAsLong();
            }
            String dtype = entry.get("dtype").getAsString();
            NDArray array;
            if (entry.has("values_b64")) {
                array = decode(manager, Base64.getDecoder().decode(entry.get("values_b64").getAsString()), dtype, new Shape(shape));
            } else if (dtype.equals("float32")) {
                array = manager.create(formula(name, shape), new Shape(shape));
            } else {
                array = manager.zeros(new Shape(shape), dataType(dtype));
            }
            array.setName(name);
            weights.put(name, array);
        }
        return weights;
    }

    /**
     * @param manager owns the array
     * @return the fixture's own input batch, float32 NCHW (the first of {@link #inputs()})
     */
    public NDArray input(NDManager manager) {
        return inputs.get(0).input(manager);
    }

    /** @return the official logits for the fixture's own input, {@code [batch][classes]} */
    public float[][] expectedLogits() {
        return inputs.get(0).expectedLogits();
    }

    /**
     * @return the agreed tolerance for the fixture's own input; see {@link ReferenceInput#tolerance()}
     */
    public double tolerance() {
        return inputs.get(0).tolerance();
    }

    /**
     * Builds a family's variant and loads this fixture's weights the way a user's official checkpoint
     * loads: through {@link ModelFamily#fromOfficial}, then {@link StateDict#load}.
     *
     * @param family the family
     * @param variant the variant the fixture describes
     * @param manager owns the parameters
     * @param type the parameter type ({@code FLOAT32}, or {@code FLOAT64} for the tight check)
     * @return the loaded block
     */
    public Block loadInto(ModelFamily family, Variant variant, NDManager manager, DataType type) {
        Block block = family.build(variant.architecture(), variant.task());
        block.initialize(manager, type, variant.task().inputShape(1));
        Map<String, NDArray> weights = new LinkedHashMap<>();
        family.fromOfficial(weights(manager), variant.architecture(), variant.task()).forEach((name, tensor) ->
                weights.put(name, tensor.getDataType() == DataType.FLOAT32 ? tensor.toType(type, false) : tensor));
        StateDict.load(block, weights, key());
        return block;
    }

    /**
     * @param logits our logits for the fixture's own input, {@code (batch, classes)}
     * @return the largest absolute difference from the official logits
     */
    public double maxAbsDifference(NDArray logits) {
        return inputs.get(0).maxAbsDifference(logits);
    }

    /** @return the official float32-vs-float64 error on the fixture's own input ({@code checks}, or {@code sanity}) */
    private static double ownFloat32Error(JsonObject spec) {
        JsonObject checks = spec.has("checks") && spec.get("checks").isJsonObject() ? spec.getAsJsonObject("checks")
                : spec.getAsJsonObject("sanity");
        return checks == null || !checks.has("max_abs_diff_fp32_vs_fp64") ? 0 : checks.get("max_abs_diff_fp32_vs_fp64").getAsDouble();
    }

    private static Shape shape(JsonArray dims) {
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
        }
        return new Shape(shape);
    }

    private static double[][] float64Logits(JsonArray rows) {
        double[][] logits = new double[rows.size()][];
        for (int r = 0; r < logits.length; r++) {
            JsonArray row = rows.get(r).getAsJsonArray();
            logits[r] = new double[row.size()];
            for (int c = 0; c < logits[r].length; c++) {
                // Gson reads the decimal with Double.parseDouble: the shortest decimal of a double gives that double back.
                logits[r][c] = row.get(c).getAsDouble();
            }
        }
        return logits;
    }

    private static float[][] logits(JsonArray rows) {
        float[][] logits = new float[rows.size()][];
        for (int r = 0; r < logits.length; r++) {
            JsonArray row = rows.get(r).getAsJsonArray();
            logits[r] = new float[row.size()];
            for (int c = 0; c < logits[r].length; c++) {
                logits[r][c] = row.get(c).getAsFloat();
            }
        }
        return logits;
    }

    static float[] formula(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] u = uniform(crc32(name), Math.toIntExact(n));
        float[] values = new float[u.length];
        long fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
            fanIn *= shape[i];
        }
        double scale = Math.sqrt(3.0 / fanIn);
        for (int i = 0; i < u.length; i++) {
            double v;
            if (name.endsWith("running_var")) {
                v = 1 + 0.5 * u[i] * u[i];
            } else if (name.endsWith("running_mean")) {
                v = 0.1 * u[i];
            } else if (name.endsWith("weight") && shape.length == 1) {
                v = 1 + 0.1 * u[i];
            } else if (name.endsWith("bias")) {
                v = 0.05 * u[i];
            } else if (shape.length >= 2) {
                v = u[i] * scale;
            } else {
                v = 0.1 * u[i];
            }
            values[i] = (float) v;
        }
        return values;
    }

    static double[] uniform(long seed, int n) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            long h = ((long) i * 0x9E3779B1L + seed) & 0xFFFFFFFFL;
            h ^= h >>> 16;
            h = (h * 0x85EBCA6BL) & 0xFFFFFFFFL;
            h ^= h >>> 13;
            h = (h * 0xC2B2AE35L) & 0xFFFFFFFFL;
            h ^= h >>> 16;
            u[i] = h / 2147483648.0 - 1.0;
        }
        return u;
    }

    static long crc32(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static NDArray decode(NDManager manager, byte[] bytes, String dtype, Shape shape) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return manager.create(buffer, shape, dataType(dtype));
    }

    private static DataType dataType(String dtype) {
        return switch (dtype) {
            case "float32" -> DataType.FLOAT32;
            case "int64" -> DataType.INT64;
            case "int32" -> DataType.INT32;
            case "bool" -> DataType.BOOLEAN;
            default -> throw new IllegalArgumentException("unsupported fixture dtype " + dtype);
        };
    }
}
