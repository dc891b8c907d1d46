package dev.creamery.runtime.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.creamery.api.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@link Architecture} as the run folder writes it ({@code trials.jsonl}, {@code result.json},
 * {@code model.json}): a JSON object with its keys in order, numbers as numbers, lists as arrays.
 */
public final class ArchitectureJson {
    private ArchitectureJson() {}

    /**
     * @param architecture an architecture
     * @return it as a JSON object with the same key order
     */
    public static JsonObject write(Architecture architecture) {
        JsonObject object = new JsonObject();
        architecture.values().forEach((name, value) -> object.add(name, value(value)));
        return object;
    }

    /**
     * @param json a JSON object as {@link #write} makes it
     * @return the architecture
     * @throws IllegalArgumentException if it is not such an object
     */
    public static Architecture read(JsonElement json) {
        if (!json.isJsonObject()) {
            throw new IllegalArgumentException("an architecture is a JSON object, got " + json);
        }
        Architecture.Builder builder = Architecture.builder();
        for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject().entrySet()) {
            builder.put(entry.getKey(), value(entry.getKey(), entry.getValue()));
        }
        return builder.build();
    }

    /**
     * @param json JSON text of an object
     * @return the architecture
     * @throws IllegalArgumentException if it is not such an object
     */
    public static Architecture read(String json) {
        return read(JsonParser.parseString(json));
    }

    private static JsonElement value(Object value) {
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(item -> array.add(value(item)));
            return array;
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        return new JsonPrimitive((String) value);
    }

    private static Object value(String name, JsonElement element) {
        if (element.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonElement item : element.getAsJsonArray()) {
                list.add(value(name, item));
            }
            return list;
        }
        if (!element.isJsonPrimitive()) {
            throw new IllegalArgumentException("unsupported JSON value for '" + name + "': " + element);
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        // A number's text reads as the architecture reads it in the canonical form (19 digits stay whole).
        return Architecture.normalize(primitive.getAsString());
    }
}
