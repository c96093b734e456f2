package crew.ui.tunnel.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;

/** The console's openvpn log tab: the session's and the lab's lines, the oldest half dropped past 2,000 lines. */
final class LogTab {
    private static final int MAX_LINES = 2000;

    private final Text text;

    LogTab(Composite tabs) {
        text = new Text(tabs, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL | SWT.BORDER);
    }

    Text control() {
        return text;
    }

    void append(String line) {
        if (text.isDisposed()) {
            return;
        }
        if (text.getLineCount() > MAX_LINES) {
            String all = text.getText();
            text.setText(all.substring(all.indexOf('\n', all.length() / 2) + 1));
        }
        text.append(line + "\n");
    }

    void clear() {
        text.setText("");
    }
}
