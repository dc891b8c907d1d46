package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.creamery.api.ModelFamily;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.ReferenceFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * In float64 each EfficientViT is the official float64 network, on the fixtures' input and on two
 * more ({@code reference/efficientvit.float64.json.gz}: the official float64 logits for seeds
 * {@code input}, {@code input-1} and {@code input-2}).
 *
 * <p>With the formula weights these networks amplify rounding enormously: stage 3 attention scores
 * reach 1e4, and on {@code input-1} rounding a single pointwise convolution of EfficientViT-M4 to
 * float32 moves its logits by up to 2.4. So float32 comparisons on such inputs say little, and this
 * check is made in float64, where the two networks agree to about 1e-11 of the largest logit. A
 * difference of 1e-13 anywhere is amplified past the bound here: a batch norm eps of {@code 1e-5f}
 * instead of {@code 1e-5} put M4's {@code input-1} logits 3.7e-8 (relative) off.
 */
@Tag("slow")
class EfficientVitFloat64Test {
    /** The bound on max |ours - official| over the largest official logit. */
    static final double RELATIVE = 1e-9;

    private static final JsonObject OFFICIAL = read("/reference/efficientvit.float64.json.gz");

    static Stream<String> keys() {
        return Stream.of("efficientvit-m0", "efficientvit-m1", "efficientvit-m2", "efficientvit-m3", "efficientvit-m4",
                "efficientvit-m5");
    }

    @ParameterizedTest
    @MethodSource("keys")
    void givesTheOfficialFloat64LogitsOnSeveralInputs(String key) {
        ReferenceFixture fixture = ReferenceFixture.load("/reference/" + key + ".json.gz");
        ModelFamily family = new EfficientVitFamily(ReferenceConf.efficientVit());
        List<String> misses = new ArrayList<>();
        int checked = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = fixture.loadInto(family, family.variant(key), manager, DataType.FLOAT64);
            for (JsonElement element : OFFICIAL.getAsJsonArray("entries")) {
                JsonObject entry = element.getAsJsonObject();
                if (!entry.get("key").getAsString().equals(key)) {
                    continue;
                }
                String seed = entry.get("seed").getAsString();
                double[] official = decode(entry.get("logits_float64_b64").getAsString());
                try (NDManager step = manager.newSubManager()) {
                    NDArray input = input(step, seed, fixture.inputShape());
                    double[] ours = Blocks.forward(block, input, false).toDoubleArray();
                    assertThat(ours).hasSameSizeAs(official);
                    double largest = 0;
                    double difference = 0;
                    for (int i = 0; i < ours.length; i++) {
                        largest = Math.max(largest, Math.abs(official[i]));
                        difference = Math.max(difference, Math.abs(ours[i] - official[i]));
                    }
                    if (!(difference <= RELATIVE * largest)) {
                        misses.add(String.format(Locale.ROOT, "%s: max |ours - official| = %.3g (%.2g of max |logit| %.1f)",
                                seed, difference, difference / largest, largest));
                    }
                }
                checked++;
            }
        }
        assertThat(checked).as("official float64 logits of " + key).isEqualTo(3);
        assertThat(misses).as(key + " in float64, beyond " + RELATIVE + " of the largest logit").isEmpty();
    }

    /**
     * The fixtures' input formula with another seed: {@code 1.5 u(crc32(seed), i)} rounded to float32
     * (see {@link ReferenceFixture}), then cast to float64.
     */
    static NDArray input(NDManager manager, String seed, Shape shape) {
        CRC32 crc = new CRC32();
        crc.update(seed.getBytes(StandardCharsets.UTF_8));
        long crc32 = crc.getValue();
        double[] x = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < x.length; i++) {
            long h = ((long) i * 0x9E3779B1L + crc32) & 0xFFFFFFFFL;
            h ^= h >>> 16;
            h = (h * 0x85EBCA6BL) & 0xFFFFFFFFL;
            h ^= h >>> 13;
            h = (h * 0xC2B2AE35L) & 0xFFFFFFFFL;
            h ^= h >>> 16;
            x[i] = (float) (1.5 * (h / 2147483648.0 - 1.0));
        }
        return manager.create(x, shape);
    }

    private static double[] decode(String base64) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[buffer.remaining() / Double.BYTES];
        buffer.asDoubleBuffer().get(values);
        return values;
    }

    private static JsonObject read(String resource) {
        try (InputStream in = new GZIPInputStream(EfficientVitFloat64Test.class.getResourceAsStream(resource));
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
