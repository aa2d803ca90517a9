package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.util.Map;

/** Parses JSON with the Lambda runtime's own serializer, as the deployed function would. */
final class RuntimeJson {

    private RuntimeJson() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) {
        return (Map<String, Object>) JacksonFactory.getInstance().getSerializer(Map.class).fromJson(json);
    }
}
