package crew.ui.workspace.internal;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.core.runtime.jobs.ProgressProvider;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * The progress area in the bottom trim: the running user job (AWS pull/plan/apply, lab up, workspace reads), its
 * progress, and a Cancel button. Jobs report through their IProgressMonitor as usual; this class is the platform's
 * progress provider, so no job needs to know about it.
 */
public class ProgressArea {
    private Display display;
    private Label name;
    private ProgressBar bar;
    private Button cancel;
    private volatile Job current;
    private String lastResult = "";

    private final JobChangeAdapter jobListener = new JobChangeAdapter() {
        @Override
        public void done(IJobChangeEvent event) {
            Job job = event.getJob();
            if (job.isSystem()) {
                return;
            }
            IStatus result = event.getResult();
            String text = result.getSeverity() == IStatus.CANCEL ? job.getName() + ": cancelled"
                    : result.getSeverity() == IStatus.ERROR ? job.getName() + ": failed: " + result.getMessage() : "";
            ui(() -> {
                if (current == job) {
                    current = null;
                    idle(text);
                }
            });
        }
    };

    @PostConstruct
    public void createControls(Composite parent) {
        display = parent.getDisplay();
        Composite box = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(3, false);
        layout.marginHeight = 1;
        box.setLayout(layout);
        name = new Label(box, SWT.NONE);
        name.setLayoutData(new GridData(260, SWT.DEFAULT));
        bar = new ProgressBar(box, SWT.HORIZONTAL | SWT.SMOOTH);
        bar.setLayoutData(new GridData(160, SWT.DEFAULT));
        cancel = new Button(box, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.setToolTipText("Cancel the running job");
        cancel.addListener(SWT.Selection, e -> {
            Job job = current;
            if (job != null) {
                job.cancel();
                name.setText(job.getName() + ": cancelling...");
            }
        });
        idle("");
        Job.getJobManager().setProgressProvider(new ProgressProvider() {
            @Override
            public IProgressMonitor createMonitor(Job job) {
                return job.isSystem() ? new org.eclipse.core.runtime.NullProgressMonitor() : new AreaMonitor(job);
            }
        });
        Job.getJobManager().addJobChangeListener(jobListener);
    }

    @PreDestroy
    public void dispose() {
        Job.getJobManager().removeJobChangeListener(jobListener);
        Job.getJobManager().setProgressProvider(null);
    }

    private void idle(String text) {
        if (name.isDisposed()) {
            return;
        }
        lastResult = text;
        name.setText(text);
        bar.setSelection(0);
        bar.setVisible(false);
        cancel.setEnabled(false);
    }

    private void ui(Runnable r) {
        if (!display.isDisposed()) {
            display.asyncExec(r);
        }
    }

    /** Text shown now (the job name, or the last result), for tests. */
    String text() {
        return name.getText();
    }

    Button cancelButton() {
        return cancel;
    }

    ProgressBar bar() {
        return bar;
    }

    String lastResult() {
        return lastResult;
    }

    /** Reports one job's progress into the area; cancellation comes from the Cancel button through Job.cancel. */
    private final class AreaMonitor implements IProgressMonitor {
        private final Job job;
        private volatile boolean cancelled;
        private volatile String task;
        private int total = IProgressMonitor.UNKNOWN;
        private double done;

        AreaMonitor(Job job) {
            this.job = job;
            task = job.getName();
        }

        @Override
        public void beginTask(String taskName, int totalWork) {
            total = totalWork;
            if (taskName != null && !taskName.isBlank()) {
                task = taskName;
            }
            ui(() -> {
                if (name.isDisposed()) {
                    return;
                }
                current = job;
                name.setText(task);
                bar.setVisible(true);
                bar.setMaximum(totalWork > 0 ? totalWork : 100);
                bar.setSelection(0);
                cancel.setEnabled(true);
                name.getParent().layout(true);
            });
        }

        @Override
        public void internalWorked(double work) {
            done += work;
            int value = (int) done;
            ui(() -> {
                if (current == job && !bar.isDisposed()) {
                    bar.setSelection(value);
                }
            });
        }

        @Override
        public void worked(int work) {
            internalWorked(work);
        }

        @Override
        public void done() {
            // the job listener resets the area once the job's result is known
        }

        @Override
        public boolean isCanceled() {
            return cancelled;
        }

        @Override
        public void setCanceled(boolean value) {
            cancelled = value;
        }

        @Override
        public void setTaskName(String taskName) {
            task = taskName;
            ui(() -> {
                if (current == job && !name.isDisposed()) {
                    name.setText(taskName);
                }
            });
        }

        @Override
        public void subTask(String subTask) {
            ui(() -> {
                if (current == job && !name.isDisposed()) {
                    name.setText(task + ": " + subTask);
                }
            });
        }
    }
}
