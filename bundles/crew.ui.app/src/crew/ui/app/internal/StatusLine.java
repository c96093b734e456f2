package crew.ui.app.internal;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * The status line in the bottom trim. Anything can show a message by posting a String on the event broker topic
 * {@link #TOPIC}.
 */
public class StatusLine {
    /** Event broker topic whose String payload the status line shows. */
    public static final String TOPIC = crew.ui.app.CrewUi.TOPIC_STATUS;

    private Label label;

    @Inject
    public StatusLine() {
    }

    @PostConstruct
    public void createControls(Composite parent) {
        Composite box = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginHeight = 2;
        box.setLayout(layout);
        label = new Label(box, SWT.NONE);
        label.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        label.setText("Ready");
    }

    @Inject
    @Optional
    void show(@UIEventTopic(TOPIC) String message) {
        if (label != null && !label.isDisposed()) {
            label.setText(message);
            label.getParent().layout(true);
        }
    }
}
