package io.github.s3sweeper.testing;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.github.s3sweeper.lambda.SweepHandler;
import io.github.s3sweeper.report.SweepSummary;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads events and writes responses with the serializer the Lambda Java runtime uses for plain handler types, so a
 * test sees exactly what the deployed function would. Test scope only: the deployment jar leaves the serializer to
 * the runtime, and the jar's own reader and writer are checked against this one.
 */
public final class RuntimeSerialization {

    private RuntimeSerialization() {
    }

    /** Deserializes an event into the handler's declared input type. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readEvent(InputStream json) {
        PojoSerializer<Object> serializer = JacksonFactory.getInstance().getSerializer(handlerInputType());
        return (Map<String, Object>) serializer.fromJson(json);
    }

    public static Map<String, Object> readEvent(String json) {
        return readEvent(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    public static String writeResponse(SweepSummary summary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JacksonFactory.getInstance().getSerializer(SweepSummary.class).toJson(summary, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The {@code I} of {@code RequestHandler<I, O>}, read the way the runtime reads it: from the handler class. */
    static Type handlerInputType() {
        for (Type type : SweepHandler.class.getGenericInterfaces()) {
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                return parameterized.getActualTypeArguments()[0];
            }
        }
        throw new IllegalStateException("SweepHandler does not implement RequestHandler");
    }
}
