package crew.testing;

import java.util.function.BooleanSupplier;

import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.Assertions;

/** Runs the SWT event loop until a condition holds, for UI tests whose work arrives through asyncExec. */
public final class UiWait {
    private UiWait() {
    }

    /** Dispatches events until {@code condition} holds; fails naming {@code what} after {@code timeoutMillis}. */
    public static long until(Display display, BooleanSupplier condition, long timeoutMillis, String what) {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Assertions.fail("not within " + timeoutMillis + " ms: " + what);
            }
            if (!display.readAndDispatch()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    Assertions.fail("interrupted while waiting for: " + what);
                }
            }
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }

    /** Dispatches pending events. */
    public static void drain(Display display) {
        while (display.readAndDispatch()) {
            // process
        }
    }
}
