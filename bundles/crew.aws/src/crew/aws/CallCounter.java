package crew.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts API operations (one per SDK call) and HTTP attempts (retries included), by operation name. */
public final class CallCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> operations = new ConcurrentHashMap<>();
    private final AtomicInteger attempts = new AtomicInteger();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        operations.computeIfAbsent(name == null ? "?" : name, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.incrementAndGet();
    }

    /** API operations called, by name. */
    public Map<String, Integer> operations() {
        Map<String, Integer> m = new TreeMap<>();
        operations.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public int totalOperations() {
        return operations.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** HTTP requests sent, retries included. */
    public int httpAttempts() {
        return attempts.get();
    }

    public void reset() {
        operations.clear();
        attempts.set(0);
    }
}
