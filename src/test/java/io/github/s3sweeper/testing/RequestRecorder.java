package io.github.s3sweeper.testing;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Watches the real requests a client sends: which operations, and how many keys each DeleteObjects carried. */
public final class RequestRecorder implements ExecutionInterceptor {

    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final List<Integer> deleteBatchSizes = new CopyOnWriteArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        operations.add(context.request().getClass().getSimpleName().replace("Request", ""));
        if (context.request() instanceof DeleteObjectsRequest delete) {
            deleteBatchSizes.add(delete.delete().objects().size());
        }
    }

    public List<String> operations() {
        return List.copyOf(operations);
    }

    public List<Integer> deleteBatchSizes() {
        return List.copyOf(deleteBatchSizes);
    }

    public void clear() {
        operations.clear();
        deleteBatchSizes.clear();
    }
}
