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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class ReferenceFixture {
    private final JsonObject spec;

    private ReferenceFixture(JsonObject spec) {
        this.spec = spec;
    }

    /**
     * Reads a fixture from the test class path ({@code .json} or gzip-compressed {@code .json.gz}).
     *
     * @param resource the resource path, e.g. {@code /reference/tinyvit-5m.json.gz}
     * @return the fixture
     */
    public static ReferenceFixture load(String resource) {
        InputStream raw = ReferenceFixture.class.getResourceAsStream(resource);
        if (raw == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        try (InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return new ReferenceFixture(JsonParser.parseReader(reader).getAsJsonObject());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
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
        JsonArray dims = spec.getAsJsonArray("input_shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
        }
        return new Shape(shape);
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
     * @return the fixed input batch, float32 NCHW
     */
    public NDArray input(NDManager manager) {
        Shape shape = inputShape();
        double[] u = uniform(crc32("input"), Math.toIntExact(shape.size()));
        float[] x = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            x[i] = (float) (1.5 * u[i]);
        }
        return manager.create(x, shape);
    }

    /** @return the official logits, {@code [batch][classes]} */
    public float[][] expectedLogits() {
        JsonArray rows = spec.getAsJsonArray("expected_logits");
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

    /**
     * The agreed tolerance: {@code max(1e-4 * max(1, max|official|), 3 * the official model's own
     * float32-vs-float64 error)}.
     *
     * @return the largest allowed absolute difference from the official logits
     */
    public double tolerance() {
        double maxAbs = 0;
        for (float[] row : expectedLogits()) {
            for (float v : row) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
        }
        JsonObject checks = spec.has("checks") && spec.get("checks").isJsonObject() ? spec.getAsJsonObject("checks")
                : spec.getAsJsonObject("sanity");
        double fp = checks == null || !checks.has("max_abs_diff_fp32_vs_fp64") ? 0
                : checks.get("max_abs_diff_fp32_vs_fp64").getAsDouble();
        return Math.max(1e-4 * Math.max(1, maxAbs), 3 * fp);
    }

    /**
     * The bound for a float64 re-implementation: its distance from the official float32 logits is the
     * official model's own float32 error, up to rounding the largest logit to float32.
     *
     * @return the largest allowed absolute difference of float64 logits from the official ones
     */
    public double float64Tolerance() {
        float largest = 0;
        for (float[] row : expectedLogits()) {
            for (float v : row) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        return spec.getAsJsonObject("checks").get("max_abs_diff_fp32_vs_fp64").getAsDouble() + Math.ulp(largest);
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
     * @param logits our logits, {@code (batch, classes)}
     * @return the largest absolute difference from the official logits
     */
    public double maxAbsDifference(NDArray logits) {
        float[][] expected = expectedLogits();
        float[] ours = logits.toType(DataType.FLOAT32, false).toFloatArray();
        int classes = expected[0].length;
        if (ours.length != expected.length * classes) {
            throw new IllegalArgumentException("logits have shape " + logits.getShape() + ", expected (" + expected.length
                    + ", " + classes + ")");
        }
        double max = 0;
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, Math.abs(ours[r * classes + c] - expected[r][c]));
            }
        }
        return max;
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

    private static long crc32(String text) {
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
