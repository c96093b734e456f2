package crew.ui.endpoint.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import crew.design.DesignLinter;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.model.endpoint.EndpointDesign;

/**
 * Lints the design as the user edits: the registered {@link LintRule} services (the rules {@code crew lint} runs)
 * through {@link DesignLinter}, in a background job a short delay after the last edit, so typing never waits for
 * the rules and a burst of keystrokes costs one run. Only the result for the latest design is delivered, on the UI
 * thread.
 */
final class LiveLint {
    /** Quiet time after an edit before the rules run. */
    static final long DELAY_MS = 200;

    /** Findings for {@code design}, with the rules that ran (empty when crew.design's rules are not registered). */
    record Result(EndpointDesign design, List<LintFinding> findings, List<LintRule> rules, long millis) {
    }

    private final Display display;
    private final Consumer<Result> onResult;
    private final ServiceTracker<LintRule, LintRule> tracker;
    private final Job job;
    private volatile EndpointDesign latest;
    private volatile boolean disposed;

    LiveLint(Display display, Consumer<Result> onResult) {
        this.display = display;
        this.onResult = onResult;
        job = new Job("Checking the design") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                return lintLatest(monitor);
            }
        };
        job.setSystem(true);
        job.setPriority(Job.SHORT);
        Bundle bundle = FrameworkUtil.getBundle(LiveLint.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        tracker = context == null ? null : new ServiceTracker<>(context, LintRule.class, null) {
            @Override
            public LintRule addingService(ServiceReference<LintRule> reference) {
                LintRule rule = super.addingService(reference);
                EndpointDesign design = latest;
                if (design != null && !disposed) {
                    request(design); // a rule (e.g. a plugin's) arrived after the last run
                }
                return rule;
            }
        };
        if (tracker != null) {
            tracker.open();
        }
    }

    /** Lints {@code design} soon (replacing any design still waiting). */
    void request(EndpointDesign design) {
        latest = design;
        job.cancel();
        job.schedule(DELAY_MS);
    }

    /** The rules registered now. */
    List<LintRule> rules() {
        List<LintRule> rules = new ArrayList<>();
        if (tracker != null) {
            LintRule[] services = tracker.getServices(new LintRule[0]);
            rules.addAll(List.of(services));
        }
        return rules;
    }

    private IStatus lintLatest(IProgressMonitor monitor) {
        EndpointDesign design = latest;
        if (design == null || disposed) {
            return Status.OK_STATUS;
        }
        long start = System.nanoTime();
        DesignLinter linter = new DesignLinter(rules());
        List<LintFinding> findings = linter.lint(design);
        if (monitor.isCanceled()) {
            return Status.CANCEL_STATUS;
        }
        Result result = new Result(design, findings, linter.rules(), (System.nanoTime() - start) / 1_000_000);
        if (!display.isDisposed()) {
            display.asyncExec(() -> {
                if (!disposed && latest == design) {
                    onResult.accept(result);
                }
            });
        }
        return Status.OK_STATUS;
    }

    void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        job.cancel();
        if (tracker != null) {
            tracker.close();
        }
    }
}
